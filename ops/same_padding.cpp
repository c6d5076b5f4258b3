#include "ops/same_padding.hpp"

#include <algorithm>

#include "ops/script_emitter.hpp"

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

void define_same_padding_functions(ScriptEmitter& emitter) {
  // The C++ above in TorchScript, including the choice between the conv's own (symmetric) padding
  // and an explicitly padded copy, so the scripted ops compute what the C++ ops compute.
  emitter.define_functions("same_padding", R"(
def same_padding(size: int, kernel: int, stride: int, dilation: int) -> List[int]:
    output = (size + stride - 1) // stride
    extent = (kernel - 1) * dilation + 1
    total = max((output - 1) * stride + extent - size, 0)
    return [total // 2, total - total // 2]

def same_padding_2d(x: Tensor, kernel: List[int], stride: List[int], dilation: List[int]) -> List[int]:
    rows = same_padding(x.size(2), kernel[0], stride[0], dilation[0])
    columns = same_padding(x.size(3), kernel[1], stride[1], dilation[1])
    return [columns[0], columns[1], rows[0], rows[1]]

def is_symmetric(padding: List[int]) -> bool:
    return padding[0] == padding[1] and padding[2] == padding[3]

def conv2d_same(x: Tensor, weight: Tensor, bias: Optional[Tensor], stride: List[int], dilation: List[int],
                groups: int) -> Tensor:
    padding = same_padding_2d(x, [weight.size(2), weight.size(3)], stride, dilation)
    if is_symmetric(padding):
        return torch.conv2d(x, weight, bias, stride, [padding[2], padding[0]], dilation, groups)
    return torch.conv2d(torch.constant_pad_nd(x, padding, 0.0), weight, bias, stride, [0, 0], dilation, groups)
)");
}

}  // namespace nas
