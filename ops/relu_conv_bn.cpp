#include "ops/relu_conv_bn.hpp"

#include "ops/batch_norm.hpp"
#include "ops/same_padding.hpp"

namespace nas {

ReluConvBn::ReluConvBn(const ReluConvBnOptions& options) : options_(options) {
  conv_ = register_module(
      "conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(options.in_channels, options.out_channels, options.kernel)
                                    .stride(options.stride)
                                    .dilation(options.dilation)
                                    .bias(false)));
  bn_ = register_module("bn", make_batch_norm(options.out_channels));
}

torch::Tensor ReluConvBn::forward(torch::Tensor input) {
  if (options_.relu) input = torch::relu(input);
  return bn_->forward(conv2d_same(input, conv_));
}

}  // namespace nas
