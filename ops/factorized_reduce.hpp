#pragma once
// NASNet's factorized reduction: halves H and W without discarding every other pixel. Two 1x1 convs,
// each to half the output channels, read the input subsampled at stride 2 from offsets (0,0) and
// (1,1); their outputs are concatenated and batch-normalised. At stride 1 it is a 1x1 conv + BN.
// It makes a cell's second input match the first and fixes unused states before the output concat.
#include "ops/unary_op.hpp"

namespace nas {

struct FactorizedReduceOptions {
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;  // even when stride is 2
  std::int64_t stride = 2;        // 1 or 2
  bool relu = false;              // ReLU first, as when preparing a cell input
};

class FactorizedReduce : public UnaryOp {
 public:
  explicit FactorizedReduce(const FactorizedReduceOptions& options);
  torch::Tensor forward(torch::Tensor input) override;
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;
  const FactorizedReduceOptions& options() const { return options_; }

 private:
  FactorizedReduceOptions options_;
  torch::nn::Conv2d path1_{nullptr};
  torch::nn::Conv2d path2_{nullptr};  // only at stride 2
  torch::nn::BatchNorm2d bn_{nullptr};
};

}  // namespace nas
