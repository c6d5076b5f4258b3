#pragma once
// TensorFlow's SAME padding, which the NASNet ops assume: the output has ceil(size / stride) rows and
// columns, and when the total padding is odd the extra row/column goes after (bottom/right). That
// happens for even sizes at stride 2, where PyTorch's symmetric padding would shift the sampling grid.
// Where the padding is symmetric the window ops pad by themselves, which saves a padded copy.
#include <torch/torch.h>

#include <array>

namespace nas {

class ScriptEmitter;

// Padding {before, after} along one axis of `size` for a kernel of `kernel` taps spaced `dilation` apart.
std::array<std::int64_t, 2> same_padding(std::int64_t size, std::int64_t kernel, std::int64_t stride,
                                         std::int64_t dilation = 1);

// The padding of `input` [N, C, H, W] for a window op: {rows, columns}, each {before, after}.
struct SamePadding {
  std::array<std::int64_t, 2> rows{};
  std::array<std::int64_t, 2> columns{};
  bool symmetric() const { return rows[0] == rows[1] && columns[0] == columns[1]; }
};
SamePadding same_padding(const torch::Tensor& input, std::array<std::int64_t, 2> kernel,
                         std::array<std::int64_t, 2> stride, std::int64_t dilation = 1);

// Pads explicitly (`value` fills the border) and keeps the input's memory format.
torch::Tensor pad_explicitly(const torch::Tensor& input, const SamePadding& padding, double value);

// `conv` (created without padding) applied with SAME padding.
torch::Tensor conv2d_same(const torch::Tensor& input, torch::nn::Conv2d& conv);

// Makes the TorchScript counterparts of the functions above callable from code `emitter` compiles:
//   same_padding(size, kernel, stride, dilation) -> [before, after]
//   same_padding_2d(x, kernel, stride, dilation) -> [left, right, top, bottom], constant_pad_nd's order
//   is_symmetric(padding) -> bool, for a same_padding_2d result
//   conv2d_same(x, weight, bias, stride, dilation, groups), whose kernel size is the weight's
// They compute the padding from the input's size when the script runs, so an exported network pads
// any image size as the C++ ops do.
void define_same_padding_functions(ScriptEmitter& emitter);

}  // namespace nas
