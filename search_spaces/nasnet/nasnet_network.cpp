#include "search_spaces/nasnet/nasnet_network.hpp"

#include <algorithm>

#include "ops/relu_conv_bn.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"
#include "ops/training_random.hpp"

namespace nas {
namespace {

// Module names, shared by the LibTorch module and its TorchScript form so that both name each
// parameter alike.
const char* const kStemName = "stem";
const char* const kClassifierName = "classifier";
std::string cell_name(std::size_t index) { return "cell" + std::to_string(index); }

}  // namespace

NasnetNetwork::NasnetNetwork(const NasnetPlan& plan) : dropout_(plan.dropout) {
  stem_ = register_module(kStemName, std::make_shared<ReluConvBn>(ReluConvBnOptions{
                                      plan.image.channels, plan.stem.channels, 3, plan.stem_stride, 1, false}));
  for (const CellPlan& cell : plan.cells) {
    cells_.push_back(register_module(cell_name(cells_.size()), std::make_shared<NasnetCell>(cell)));
    final_keep_.push_back(cell.drop_path_keep);
  }
  classifier_ = register_module(kClassifierName, torch::nn::Linear(plan.cells.back().out.channels, plan.classes));
}

void NasnetNetwork::set_progress(double progress) { progress_ = std::clamp(progress, 0.0, 1.0); }

torch::Tensor NasnetNetwork::forward(torch::Tensor input) {
  // Channels-last lets oneDNN use its fast depthwise-conv and pooling kernels on CPU. The stem's
  // output is converted because a one-channel image counts as NCHW whatever its strides.
  torch::Tensor previous = stem_->forward(input).contiguous(torch::MemoryFormat::ChannelsLast);
  torch::Tensor current = previous;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    const double keep = is_training() ? 1.0 - progress_ * (1.0 - final_keep_[i]) : 1.0;
    torch::Tensor next = cells_[i]->forward(current, previous, keep);
    previous = current;
    current = next;
  }
  const torch::Tensor pooled = torch::relu(current).mean({2, 3});
  return classifier_->forward(training_dropout(pooled, dropout_, is_training()));
}

torch::jit::Module NasnetNetwork::to_script(ScriptEmitter& emitter) const {
  // Eval mode: no drop path and no dropout. The channels-last conversion of forward() only picks
  // faster CPU kernels, so the script leaves the memory format to the caller.
  torch::jit::Module module = emitter.make_module("NasnetNetwork");
  module.register_module(kStemName, stem_->to_script(emitter));
  std::string source = "def forward(self, input: Tensor) -> Tensor:\n";
  source += std::string("    stem = self.") + kStemName + ".forward(input)\n";
  // Each cell reads the last two outputs, as in forward(); the first reads the stem's twice.
  std::string previous = "stem", current = "stem";
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    const std::string name = cell_name(i);
    module.register_module(name, cells_[i]->to_script(emitter));
    source += "    " + name + " = self." + name + ".forward(" + current + ", " + previous + ")\n";
    previous = current;
    current = name;
  }
  module.register_module(kClassifierName, script_linear(emitter, *classifier_));
  source += "    pooled = torch.mean(torch.relu(" + current + "), [2, 3])\n";
  source += std::string("    return self.") + kClassifierName + ".forward(pooled)\n";
  emitter.define(module, source);
  return module;
}

}  // namespace nas
