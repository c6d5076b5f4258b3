#include "ops/spatial_factorized_conv.hpp"

#include "ops/batch_norm.hpp"
#include "ops/same_padding.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"

namespace nas {

SpatialFactorizedConv::SpatialFactorizedConv(const SpatialFactorizedConvOptions& options) : options_(options) {
  const std::int64_t k = options.kernel, s = options.stride;
  row_conv_ = register_module(
      "row_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(options.in_channels, options.out_channels, {1, k})
                                        .stride({1, s})
                                        .bias(false)));
  column_conv_ = register_module(
      "column_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(options.out_channels, options.out_channels, {k, 1})
                                           .stride({s, 1})
                                           .bias(false)));
  bn_ = register_module("bn", make_batch_norm(options.out_channels));
}

torch::Tensor SpatialFactorizedConv::forward(torch::Tensor input) {
  return batch_norm(bn_, conv2d_same(conv2d_same(torch::relu(input), row_conv_), column_conv_));
}

torch::jit::Module SpatialFactorizedConv::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("SpatialFactorizedConv");
  module.register_module("row_conv", script_conv2d_same(emitter, *row_conv_));
  module.register_module("column_conv", script_conv2d_same(emitter, *column_conv_));
  module.register_module("bn", script_batch_norm(emitter, *bn_));
  emitter.define(module, R"(
def forward(self, x: Tensor) -> Tensor:
    return self.bn.forward(self.column_conv.forward(self.row_conv.forward(torch.relu(x))))
)");
  return module;
}

}  // namespace nas
