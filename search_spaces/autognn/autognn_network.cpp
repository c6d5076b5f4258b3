#include "search_spaces/autognn/autognn_network.hpp"

#include "ops/graph/graph_ops.hpp"
#include "ops/script_emitter.hpp"

namespace nas {
namespace {

std::string layer_name(std::size_t index) { return "layer" + std::to_string(index); }

}  // namespace

std::vector<MessagePassingOptions> autognn_layer_options(const AutognnGenotype& genotype, std::int64_t features,
                                                         std::int64_t classes, const AutognnOptions& space) {
  std::vector<MessagePassingOptions> layers;
  std::int64_t in = features;
  for (std::size_t i = 0; i < genotype.layers.size(); ++i) {
    const AutognnLayerGene& gene = genotype.layers[i];
    const bool last = i + 1 == genotype.layers.size();
    MessagePassingOptions options;
    options.in = in;
    options.units = last ? classes : gene.units;
    options.heads = gene.heads;
    options.attention = gene.attention;
    options.aggregator = gene.aggregator;
    options.activation = gene.activation;
    options.concat = !last;
    options.dropout = space.dropout;
    options.residual = space.residual && i > 0;  // GraphNAS's DGL network gives the first layer none
    layers.push_back(options);
    in = options.out();
  }
  return layers;
}

AutognnNetwork::AutognnNetwork(const std::vector<MessagePassingOptions>& layers) {
  for (std::size_t i = 0; i < layers.size(); ++i)
    layers_.push_back(register_module(layer_name(i), MessagePassingLayer(layers[i])));
}

torch::Tensor AutognnNetwork::forward_graph(const torch::Tensor& features, const torch::Tensor& edge_index) {
  const torch::Tensor edges = add_self_loops(edge_index, features.size(0));
  torch::Tensor x = features;
  for (auto& layer : layers_) x = layer->forward(x, edges);
  return x;
}

std::vector<std::pair<std::string, std::shared_ptr<torch::nn::Module>>> AutognnNetwork::shareable_layers() {
  std::vector<std::pair<std::string, std::shared_ptr<torch::nn::Module>>> layers;
  for (std::size_t i = 0; i < layers_.size(); ++i)
    layers.emplace_back(layer_name(i) + " " + layers_[i]->homogeneity_key(), layers_[i].ptr());
  return layers;
}

torch::jit::Module AutognnNetwork::to_script(ScriptEmitter& emitter) const {
  define_graph_functions(emitter);
  torch::jit::Module module = emitter.make_module("AutognnNetwork");
  std::string source = "def forward(self, features: Tensor, edge_index: Tensor) -> Tensor:\n";
  source += "    edges = add_self_loops(edge_index, features.size(0))\n";
  source += "    x = features\n";
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    module.register_module(layer_name(i), layers_[i]->to_script(emitter));
    source += "    x = self." + layer_name(i) + ".forward(x, edges)\n";
  }
  source += "    return x\n";
  emitter.define(module, source);
  return module;
}

}  // namespace nas
