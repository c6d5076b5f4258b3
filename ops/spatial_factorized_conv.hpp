#pragma once
// ReLU -> 1xk conv -> kx1 conv -> BatchNorm: NASNet's "1x3 then 3x1" and "1x7 then 7x1" ops, a kxk
// receptive field for 2k instead of k*k weights per channel pair. The stride is split between the two
// convs (columns in the first, rows in the second) so each pads for its own axis.
#include "ops/unary_op.hpp"

namespace nas {

struct SpatialFactorizedConvOptions {
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;
  std::int64_t kernel = 3;
  std::int64_t stride = 1;
};

class SpatialFactorizedConv : public UnaryOp {
 public:
  explicit SpatialFactorizedConv(const SpatialFactorizedConvOptions& options);
  torch::Tensor forward(torch::Tensor input) override;
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;
  const SpatialFactorizedConvOptions& options() const { return options_; }

 private:
  SpatialFactorizedConvOptions options_;
  torch::nn::Conv2d row_conv_{nullptr};     // 1xk
  torch::nn::Conv2d column_conv_{nullptr};  // kx1
  torch::nn::BatchNorm2d bn_{nullptr};
};

}  // namespace nas
