#pragma once
// The residual block NAS-Bench-201 puts between stages (the benchmark's ResNetBasicblock at stride 2):
// ReLU -> 3x3 conv, stride 2 -> BN -> ReLU -> 3x3 conv -> BN, plus a shortcut of 2x2 average pooling
// and a 1x1 conv without BN. Halves even heights and widths; `out` channels (twice `in` there).
#include "ops/relu_conv_bn.hpp"
#include "ops/unary_op.hpp"

namespace nas {

class Nb201ReductionBlock : public UnaryOp {
 public:
  Nb201ReductionBlock(std::int64_t in, std::int64_t out);
  torch::Tensor forward(torch::Tensor input) override;
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;

 private:
  std::shared_ptr<ReluConvBn> conv_a_;
  std::shared_ptr<ReluConvBn> conv_b_;
  torch::nn::Conv2d shortcut_{nullptr};
};

}  // namespace nas
