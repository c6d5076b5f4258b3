#include "ops/relu_conv_bn.hpp"

#include "ops/batch_norm.hpp"
#include "ops/same_padding.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"

namespace nas {

ReluConvBn::ReluConvBn(const ReluConvBnOptions& options) : options_(options) {
  // SAME padding depends on the input size, so forward() pads; symmetric padding is the conv's own.
  const std::int64_t own_padding =
      options.padding == ConvPadding::symmetric ? (options.kernel - 1) / 2 * options.dilation : 0;
  conv_ = register_module(
      "conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(options.in_channels, options.out_channels, options.kernel)
                                    .stride(options.stride)
                                    .padding(own_padding)
                                    .dilation(options.dilation)
                                    .bias(false)));
  bn_ = register_module("bn", make_batch_norm(options.out_channels, options.bn_epsilon));
}

torch::Tensor ReluConvBn::forward(torch::Tensor input) {
  if (options_.relu) input = torch::relu(input);
  return batch_norm(bn_, options_.padding == ConvPadding::same ? conv2d_same(input, conv_) : conv_->forward(input));
}

torch::jit::Module ReluConvBn::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("ReluConvBn");
  module.register_module("conv", options_.padding == ConvPadding::same ? script_conv2d_same(emitter, *conv_)
                                                                       : script_conv2d(emitter, *conv_));
  module.register_module("bn", script_batch_norm(emitter, *bn_));
  std::string source = "def forward(self, x: Tensor) -> Tensor:\n";
  if (options_.relu) source += "    x = torch.relu(x)\n";
  emitter.define(module, source + "    return self.bn.forward(self.conv.forward(x))\n");
  return module;
}

}  // namespace nas
