#include "ops/separable_conv.hpp"

#include "ops/batch_norm.hpp"
#include "ops/same_padding.hpp"

namespace nas {

SeparableConv::SeparableConv(const SeparableConvOptions& options) : options_(options) {
  first_ = make_pass("1", options.in_channels, options.stride);
  second_ = make_pass("2", options.out_channels, 1);
}

SeparableConv::Pass SeparableConv::make_pass(const std::string& name, std::int64_t in_channels,
                                             std::int64_t stride) {
  Pass pass;
  pass.depthwise = register_module(
      "depthwise" + name, torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, in_channels, options_.kernel)
                                                .stride(stride)
                                                .groups(in_channels)
                                                .bias(false)));
  pass.pointwise = register_module(
      "pointwise" + name,
      torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, options_.out_channels, 1).bias(false)));
  pass.bn = register_module("bn" + name, make_batch_norm(options_.out_channels));
  return pass;
}

torch::Tensor SeparableConv::apply(Pass& pass, torch::Tensor input) {
  return pass.bn->forward(pass.pointwise->forward(conv2d_same(torch::relu(input), pass.depthwise)));
}

torch::Tensor SeparableConv::forward(torch::Tensor input) { return apply(second_, apply(first_, input)); }

}  // namespace nas
