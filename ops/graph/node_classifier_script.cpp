#include "ops/graph/node_classifier_script.hpp"

#include "ops/script_emitter.hpp"

namespace nas {

torch::jit::Module script_node_classifier(const GraphNetwork& network, bool normalise_rows) {
  ScriptEmitter emitter;
  torch::jit::Module module = emitter.make_module("NodeClassifier");
  module.register_module("network", network.to_script(emitter));
  const std::string normalise = normalise_rows ? R"(
    sums = features.sum(1, keepdim=True)
    features = features / torch.where(sums == 0, torch.ones_like(sums), sums))"
                                               : "";
  emitter.define(module, "def forward(self, features: Tensor, edge_index: Tensor) -> Tensor:" + normalise + R"(
    return self.network.forward(features, edge_index)
)");
  return module;
}

}  // namespace nas
