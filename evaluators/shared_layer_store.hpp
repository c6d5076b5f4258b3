#pragma once
// Auto-GNN's constrained parameter sharing: the trained weights of earlier trials' layers, by
// homogeneity key (GraphNetwork::shareable_layers), for a child to start from. Per key the store keeps
// the layer of the trial with the best validation accuracy. Thread-safe (the pool's workers share it).
// It lives in memory: a resumed search starts with an empty store.
#include <torch/torch.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ops/graph/graph_network.hpp"

namespace nas {

class SharedLayerStore {
 public:
  // Loads into `net` the stored weights of every layer whose key is known; returns how many layers
  // inherited weights.
  int inherit(GraphNetwork& net) const;
  // Offers the layers of a trained `net` that scored `val_accuracy`.
  void offer(GraphNetwork& net, double val_accuracy);

 private:
  struct Entry {
    double val_accuracy = 0;
    std::vector<torch::Tensor> tensors;  // parameters then buffers, in the module's order
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace nas
