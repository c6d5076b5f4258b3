#pragma once
// The GNN of an autognn genotype: its message-passing layers in sequence over the graph with
// self-loops added once; the last layer averages its heads into the class logits.
#include <vector>

#include "ops/graph/graph_network.hpp"
#include "ops/graph/message_passing_layer.hpp"
#include "search_spaces/autognn/autognn_genotype.hpp"
#include "search_spaces/autognn/autognn_options.hpp"

namespace nas {

// The layer options of `genotype` for `features` inputs and `classes` outputs, with the dropout and
// residual connections of `space`.
std::vector<MessagePassingOptions> autognn_layer_options(const AutognnGenotype& genotype, std::int64_t features,
                                                         std::int64_t classes, const AutognnOptions& space);

class AutognnNetwork : public GraphNetwork {
 public:
  explicit AutognnNetwork(const std::vector<MessagePassingOptions>& layers);
  torch::Tensor forward_graph(const torch::Tensor& features, const torch::Tensor& edge_index) override;
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;
  std::vector<std::pair<std::string, std::shared_ptr<torch::nn::Module>>> shareable_layers() override;

  // The layers by position, under the names "layer0", "layer1", ... (for parameter sharing).
  const std::vector<MessagePassingLayer>& layers() const { return layers_; }

 private:
  std::vector<MessagePassingLayer> layers_;
};

}  // namespace nas
