#pragma once
// Weights that persist across the trials of a run (run-long state): Auto-GNN's shared layers now, a
// supernet's weights next. The run owns them, changes them only on its own thread (absorb, between
// trials), checkpoints the records that changed with the controller in the same transaction, and
// restores them on resume; an evaluation sees them read-only, as the snapshot its request carries.
// No torch here: each kind's code derives from these and keeps its tensors in its own .cpp.
#include <memory>
#include <string>
#include <vector>

#include "core/state_record.hpp"

namespace nas {

class PretrainedWeights;

// What one evaluation sees of the shared weights: immutable once made, so workers read it without
// locks while the run goes on changing the weights themselves. An evaluator casts it to the kind it made.
class SharedWeightsView {
 public:
  virtual ~SharedWeightsView() = default;
  virtual std::string kind() const = 0;
  // The snapshot as records that SharedWeights::restore takes, so that another process (a rank of an
  // MPI job) can make the same snapshot: restore them into its own empty weights, then view().
  virtual std::vector<StateRecord> records() const = 0;
};

class SharedWeights {
 public:
  virtual ~SharedWeights() = default;
  // Names the weights' records in the search log, e.g. "autognn_layers"; equal to their views' kind().
  virtual std::string kind() const = 0;
  // A snapshot of the weights now, for the next trial's request.
  virtual std::shared_ptr<const SharedWeightsView> view() const = 0;
  // Takes what a finished trial offered (its TrialResult::offer, records of this kind); returns the
  // records it stored, to be checkpointed with the trial's result.
  virtual std::vector<StateRecord> absorb(const std::vector<StateRecord>& offer) = 0;
  // The weights as checkpointed: every record the log holds for kind(), by key.
  virtual void restore(const std::vector<StateRecord>& records) = 0;
  // Weights trained before the search (a supernet: evaluators/evaluation/pretrained_weights.hpp), or
  // null: weights that grow from the trials alone (Auto-GNN's shared layers).
  virtual PretrainedWeights* pretraining() { return nullptr; }
};

}  // namespace nas
