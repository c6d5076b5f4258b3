#pragma once
// Shared weights that are trained in a phase of their own before the search uses them: a supernet
// (ops/supernet.hpp). The supernet phase trains them epoch by epoch and checkpoints each epoch's
// changed records with its own state, so a run killed mid-training resumes from the last epoch it
// finished and, epoch randomness being derived from the experiment seed and the epoch number, ends
// with the same weights as a run never interrupted. No torch here.
#include <vector>

#include "core/json.hpp"
#include "core/state_record.hpp"
#include "evaluators/evaluation/data_parallel.hpp"

namespace nas {

struct PretrainingEpoch {
  int epoch = 0;  // 0-based: the epoch just trained
  // Figures of the epoch for the training curve: {"train_loss", "train_accuracy", "examples", "steps",
  // "seconds", "lr"} (the last the rate at its final step).
  Json figures = Json::object();
  // The records that changed, for the phase to checkpoint with its state in one transaction.
  std::vector<StateRecord> records;
};

class PretrainedWeights {
 public:
  virtual ~PretrainedWeights() = default;
  virtual int epochs_planned() const = 0;
  // Epochs trained so far: 0 when fresh, as restored from the log on resume.
  virtual int epochs_done() const = 0;
  // Trains epoch epochs_done(), on this process's slice of every batch of `team` (one_process(): the
  // whole batch). Throws nas::Error when the training cannot go on (a diverged loss), on every member.
  virtual PretrainingEpoch train_epoch(DataParallel& team) = 0;
  // Everything another process needs to train on in step with this one (weights, optimizer state,
  // progress), as SharedWeights::restore takes it.
  virtual std::vector<StateRecord> state() const = 0;
};

}  // namespace nas
