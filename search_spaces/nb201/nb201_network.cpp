#include "search_spaces/nb201/nb201_network.hpp"

#include "ops/batch_norm.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"
#include "search_spaces/nb201/nb201_cell.hpp"
#include "search_spaces/nb201/nb201_module_names.hpp"
#include "search_spaces/nb201/nb201_ops.hpp"
#include "search_spaces/nb201/nb201_reduction_block.hpp"

namespace nas {
namespace {

// Module names: search_spaces/nb201/nb201_module_names.hpp, shared with the TorchScript form and the
// supernet, so that all name each parameter alike.
const char* const kStemName = kNb201StemName;
const char* const kHeadBnName = kNb201HeadBnName;
const char* const kClassifierName = kNb201ClassifierName;
std::string layer_name(std::size_t index) { return nb201_layer_name(index); }

}  // namespace

Nb201Network::Nb201Network(const Nb201Plan& plan) {
  stem_ = register_module(kStemName, make_nb201_conv(plan.image.channels, plan.stages[0].channels, 3, 1, false));
  for (std::size_t stage = 0; stage < plan.stages.size(); ++stage) {
    const std::int64_t channels = plan.stages[stage].channels;
    if (stage > 0) {
      layers_.push_back(register_module(layer_name(layers_.size()), std::make_shared<Nb201ReductionBlock>(
                                                                        plan.stages[stage - 1].channels, channels)));
    }
    for (std::int64_t i = 0; i < plan.cells_per_stage; ++i)
      layers_.push_back(register_module(layer_name(layers_.size()), std::make_shared<Nb201Cell>(plan.cell, channels)));
  }
  const std::int64_t last = plan.stages.back().channels;
  head_bn_ = register_module(kHeadBnName, make_batch_norm(last, kTorchBatchNormEpsilon));
  classifier_ = register_module(kClassifierName, torch::nn::Linear(last, plan.classes));
}

torch::Tensor Nb201Network::forward(torch::Tensor input) {
  torch::Tensor x = stem_->forward(input);
  for (const auto& layer : layers_) x = layer->forward(x);
  return classifier_->forward(torch::relu(batch_norm(head_bn_, x)).mean({2, 3}));
}

torch::jit::Module Nb201Network::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("Nb201Network");
  module.register_module(kStemName, stem_->to_script(emitter));
  std::string source = "def forward(self, input: Tensor) -> Tensor:\n";
  source += std::string("    x = self.") + kStemName + ".forward(input)\n";
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const std::string name = layer_name(i);
    module.register_module(name, layers_[i]->to_script(emitter));
    source += "    x = self." + name + ".forward(x)\n";
  }
  module.register_module(kHeadBnName, script_batch_norm(emitter, *head_bn_));
  module.register_module(kClassifierName, script_linear(emitter, *classifier_));
  source += std::string("    pooled = torch.mean(torch.relu(self.") + kHeadBnName + ".forward(x)), [2, 3])\n";
  source += std::string("    return self.") + kClassifierName + ".forward(pooled)\n";
  emitter.define(module, source);
  return module;
}

}  // namespace nas
