#pragma once
// ReLU -> conv (SAME padding, no bias) -> BatchNorm: NASNet's plain conv ops (1x1, 3x3, dilated 3x3),
// the 1x1 projections that match channel counts, and (without the ReLU) the CIFAR stem.
#include "ops/unary_op.hpp"

namespace nas {

struct ReluConvBnOptions {
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;
  std::int64_t kernel = 1;
  std::int64_t stride = 1;
  std::int64_t dilation = 1;
  bool relu = true;  // false for the stem, which sees the image
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
