#include "ops/factorized_reduce.hpp"

#include "core/error.hpp"
#include "ops/batch_norm.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"

namespace nas {

FactorizedReduce::FactorizedReduce(const FactorizedReduceOptions& options) : options_(options) {
  using torch::nn::Conv2d;
  using torch::nn::Conv2dOptions;
  if (options.stride == 1) {
    path1_ = register_module("path1", Conv2d(Conv2dOptions(options.in_channels, options.out_channels, 1).bias(false)));
  } else {
    if (options.stride != 2 || options.out_channels % 2 != 0)
      throw Error("FactorizedReduce", "needs stride 1, or stride 2 with an even channel count; got stride " +
                                          std::to_string(options.stride) + ", " +
                                          std::to_string(options.out_channels) + " channels");
    const std::int64_t half = options.out_channels / 2;
    // A 1x1 conv at stride 2 is the subsample followed by the 1x1 conv.
    path1_ = register_module("path1", Conv2d(Conv2dOptions(options.in_channels, half, 1).stride(2).bias(false)));
    path2_ = register_module("path2", Conv2d(Conv2dOptions(options.in_channels, half, 1).stride(2).bias(false)));
  }
  bn_ = register_module("bn", make_batch_norm(options.out_channels));
}

torch::Tensor FactorizedReduce::forward(torch::Tensor input) {
  if (options_.relu) input = torch::relu(input);
  if (!path2_) return batch_norm(bn_, path1_->forward(input));
  // The second path starts one pixel down and right: one pad call drops the first row and column
  // (negative padding) and adds a zero row and column at the end, so odd sizes also give
  // ceil(size / 2) outputs.
  const torch::Tensor shifted =
      torch::constant_pad_nd(input, {-1, 1, -1, 1}, 0.0).contiguous(input.suggest_memory_format());
  return batch_norm(bn_, torch::cat({path1_->forward(input), path2_->forward(shifted)}, 1));
}

torch::jit::Module FactorizedReduce::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("FactorizedReduce");
  module.register_module("path1", script_conv2d(emitter, *path1_));
  if (path2_) module.register_module("path2", script_conv2d(emitter, *path2_));
  module.register_module("bn", script_batch_norm(emitter, *bn_));
  std::string source = "def forward(self, x: Tensor) -> Tensor:\n";
  if (options_.relu) source += "    x = torch.relu(x)\n";
  if (!path2_) {
    source += "    return self.bn.forward(self.path1.forward(x))\n";
  } else {
    source += "    shifted = torch.constant_pad_nd(x, [-1, 1, -1, 1], 0.0)  # one pixel down and right\n"
              "    return self.bn.forward(torch.cat([self.path1.forward(x), self.path2.forward(shifted)], 1))\n";
  }
  emitter.define(module, source);
  return module;
}

}  // namespace nas
