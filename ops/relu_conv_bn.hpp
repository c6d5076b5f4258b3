#pragma once
// ReLU -> conv (no bias) -> BatchNorm: NASNet's plain conv ops (1x1, 3x3, dilated 3x3), the 1x1
// projections that match channel counts, and (without the ReLU) the CIFAR stem; NAS-Bench-201's
// nor_conv ops, the convs of its residual blocks and (without the ReLU) its stem.
#include "ops/batch_norm.hpp"
#include "ops/unary_op.hpp"

namespace nas {

enum class ConvPadding {
  same,       // TF SAME (ops/same_padding.hpp), as the NASNet ops assume
  symmetric,  // PyTorch's padding=(k - 1) / 2 * dilation on every side, as NAS-Bench-201's convs use;
              // it samples another grid than SAME at stride 2 on even sizes
};

struct ReluConvBnOptions {
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;
  std::int64_t kernel = 1;
  std::int64_t stride = 1;
  std::int64_t dilation = 1;
  bool relu = true;  // false for a stem, which sees the image
  ConvPadding padding = ConvPadding::same;
  double bn_epsilon = kSlimBatchNormEpsilon;
};

class ReluConvBn : public UnaryOp {
 public:
  explicit ReluConvBn(const ReluConvBnOptions& options);
  torch::Tensor forward(torch::Tensor input) override;
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;
  const ReluConvBnOptions& options() const { return options_; }

 private:
  ReluConvBnOptions options_;
  torch::nn::Conv2d conv_{nullptr};
  torch::nn::BatchNorm2d bn_{nullptr};
};

}  // namespace nas
