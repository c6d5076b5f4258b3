#include "search_spaces/nb201/nb201_reduction_block.hpp"

#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"
#include "search_spaces/nb201/nb201_ops.hpp"

namespace nas {

Nb201ReductionBlock::Nb201ReductionBlock(std::int64_t in, std::int64_t out) {
  conv_a_ = register_module("conv_a", make_nb201_conv(in, out, 3, 2));
  conv_b_ = register_module("conv_b", make_nb201_conv(out, out, 3, 1));
  shortcut_ = register_module("shortcut", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1).bias(false)));
}

torch::Tensor Nb201ReductionBlock::forward(torch::Tensor input) {
  return conv_b_->forward(conv_a_->forward(input)) + shortcut_->forward(torch::avg_pool2d(input, {2, 2}, {2, 2}));
}

torch::jit::Module Nb201ReductionBlock::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("Nb201ReductionBlock");
  module.register_module("conv_a", conv_a_->to_script(emitter));
  module.register_module("conv_b", conv_b_->to_script(emitter));
  module.register_module("shortcut", script_conv2d(emitter, *shortcut_));
  emitter.define(module, R"(
def forward(self, x: Tensor) -> Tensor:
    pooled = torch.avg_pool2d(x, [2, 2], [2, 2], [0, 0], False, True)
    return self.conv_b.forward(self.conv_a.forward(x)) + self.shortcut.forward(pooled)
)");
  return module;
}

}  // namespace nas
