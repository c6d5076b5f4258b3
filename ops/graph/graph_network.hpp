#pragma once
// A network over one graph (node classification): what graph search spaces build and the node
// trainer trains. It is a nas::Network, so that spaces hand it out through SearchSpace::build and the
// weights code saves it, but it needs the graph besides the features, hence forward_graph.
#include <torch/torch.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ops/network.hpp"

namespace nas {

class GraphNetwork : public Network {
 public:
  // Node features [N, F] (dense, or sparse COO) and the directed edges [2, E] (row 0 sources, row 1
  // targets; each undirected edge in both directions; no self-loops, the layers add those they use).
  // Returns logits [N, classes].
  virtual torch::Tensor forward_graph(const torch::Tensor& features, const torch::Tensor& edge_index) = 0;

  torch::Tensor forward(torch::Tensor input) override {
    (void)input;
    throw Error("", "a graph network takes the graph with the features: call forward_graph(features, edge_index)");
  }
  // The layers a network may inherit from earlier trials (Auto-GNN's constrained parameter sharing),
  // each with a key that two layers share exactly when one's trained weights fit the other: same
  // position and weight shapes, same attention function and activation. Default: none.
  virtual std::vector<std::pair<std::string, std::shared_ptr<torch::nn::Module>>> shareable_layers() { return {}; }

  // to_script gives a module whose `forward(self, features: Tensor, edge_index: Tensor) -> Tensor`
  // takes dense features.
};

}  // namespace nas
