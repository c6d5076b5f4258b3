#pragma once
// NASNet's pooling ops: kxk average or max pooling with TF SAME padding (the average counts only real
// inputs, not the padding), then a 1x1 conv + BatchNorm when the input has a different channel count
// than the branch must output.
#include "ops/unary_op.hpp"

namespace nas {

enum class PoolKind { average, max };

struct SamePoolOptions {
  PoolKind kind = PoolKind::average;
  std::int64_t kernel = 3;
  std::int64_t stride = 1;
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;
};

class SamePool : public UnaryOp {
 public:
  explicit SamePool(const SamePoolOptions& options);
  torch::Tensor forward(torch::Tensor input) override;
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;
  const SamePoolOptions& options() const { return options_; }

 private:
  torch::Tensor average(const torch::Tensor& input) const;
  torch::Tensor maximum(const torch::Tensor& input) const;

  SamePoolOptions options_;
  torch::nn::Conv2d projection_{nullptr};  // only when in_channels != out_channels
  torch::nn::BatchNorm2d projection_bn_{nullptr};
};

}  // namespace nas
