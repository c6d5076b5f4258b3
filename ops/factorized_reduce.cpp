#include "ops/factorized_reduce.hpp"

#include "core/error.hpp"
#include "ops/batch_norm.hpp"

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
  if (!path2_) return bn_->forward(path1_->forward(input));
  // The second path starts one pixel down and right: one pad call drops the first row and column
  // (negative padding) and adds a zero row and column at the end, so odd sizes also give
  // ceil(size / 2) outputs.
  const torch::Tensor shifted =
      torch::constant_pad_nd(input, {-1, 1, -1, 1}, 0.0).contiguous(input.suggest_memory_format());
  return bn_->forward(torch::cat({path1_->forward(input), path2_->forward(shifted)}, 1));
}

}  // namespace nas
