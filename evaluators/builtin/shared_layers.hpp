#pragma once
// Auto-GNN's constrained parameter sharing as a run's shared weights: per homogeneity key
// (GraphNetwork::shareable_layers) the trained layer of the trial with the best validation accuracy,
// for a later child to start from. The run owns them (SharedWeights): a trial inherits from the
// snapshot its request carries and offers its own trained layers back with its result, and the run
// keeps an offered layer where it scored higher than the one stored. So a trial's figures depend on
// its request alone, and a resumed search restores exactly the layers it had checkpointed.
// No torch here.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "evaluators/evaluation/shared_weights.hpp"

namespace nas {

class GraphNetwork;
struct SharedLayer;  // one stored layer: its score and tensors (shared_layers.cpp)

class SharedLayers : public SharedWeights {
 public:
  static constexpr const char* kKind = "autognn_layers";
  std::string kind() const override { return kKind; }
  std::shared_ptr<const SharedWeightsView> view() const override;
  // Keeps each offered layer whose validation accuracy beats the stored one of its key (ties keep the
  // stored one, the earlier trial's).
  std::vector<StateRecord> absorb(const std::vector<StateRecord>& offer) override;
  void restore(const std::vector<StateRecord>& records) override;

 private:
  std::map<std::string, std::shared_ptr<const SharedLayer>> layers_;
};

// Loads into `net` the stored weights of every layer whose key `view` (of kind SharedLayers::kKind)
// holds with the same shapes; returns how many layers inherited weights.
int inherit_shared_layers(const SharedWeightsView& view, GraphNetwork& net);

// The layers of a trained `net` that scored `val_accuracy`, as records to offer the run.
std::vector<StateRecord> offer_shared_layers(GraphNetwork& net, double val_accuracy);

}  // namespace nas
