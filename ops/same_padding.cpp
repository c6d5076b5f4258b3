#include "ops/same_padding.hpp"

#include <algorithm>

namespace nas {

std::array<std::int64_t, 2> same_padding(std::int64_t size, std::int64_t kernel, std::int64_t stride,
                                         std::int64_t dilation) {
  const std::int64_t output = (size + stride - 1) / stride;
  const std::int64_t extent = (kernel - 1) * dilation + 1;
  const std::int64_t total = std::max<std::int64_t>((output - 1) * stride + extent - size, 0);
  return {total / 2, total - total / 2};
}

SamePadding same_padding(const torch::Tensor& input, std::array<std::int64_t, 2> kernel,
                         std::array<std::int64_t, 2> stride, std::int64_t dilation) {
  return SamePadding{same_padding(input.size(2), kernel[0], stride[0], dilation),
                     same_padding(input.size(3), kernel[1], stride[1], dilation)};
}

torch::Tensor pad_explicitly(const torch::Tensor& input, const SamePadding& padding, double value) {
  return torch::constant_pad_nd(input, {padding.columns[0], padding.columns[1], padding.rows[0], padding.rows[1]},
                                value)
      .contiguous(input.suggest_memory_format());
}

torch::Tensor conv2d_same(const torch::Tensor& input, torch::nn::Conv2d& conv) {
  const auto& options = conv->options;
  const auto kernel = *options.kernel_size();
  const auto stride = *options.stride();
  const auto dilation = *options.dilation();
  const SamePadding padding = same_padding(input, {kernel[0], kernel[1]}, {stride[0], stride[1]}, dilation[0]);
  if (padding.symmetric()) {
    const std::array<std::int64_t, 2> own_padding = {padding.rows[0], padding.columns[0]};
    return torch::conv2d(input, conv->weight, {}, stride, own_padding, dilation, options.groups());
  }
  const std::array<std::int64_t, 2> no_padding = {0, 0};
  return torch::conv2d(pad_explicitly(input, padding, 0.0), conv->weight, {}, stride, no_padding, dilation,
                       options.groups());
}

}  // namespace nas
