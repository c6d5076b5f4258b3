#pragma once
// NASNet's separable conv op: two passes of ReLU -> depthwise kxk -> pointwise 1x1 -> BatchNorm, with
// nothing between the depthwise and the pointwise conv. Only the first pass strides; the first
// pointwise conv maps the input channels to the output channels, the second keeps them.
#include "ops/unary_op.hpp"

namespace nas {

struct SeparableConvOptions {
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;
  std::int64_t kernel = 3;
  std::int64_t stride = 1;
};

class SeparableConv : public UnaryOp {
 public:
  explicit SeparableConv(const SeparableConvOptions& options);
  torch::Tensor forward(torch::Tensor input) override;
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;
  const SeparableConvOptions& options() const { return options_; }

 private:
  struct Pass {
    torch::nn::Conv2d depthwise{nullptr};
    torch::nn::Conv2d pointwise{nullptr};
    torch::nn::BatchNorm2d bn{nullptr};
  };
  Pass make_pass(const std::string& name, std::int64_t in_channels, std::int64_t stride);
  torch::Tensor apply(Pass& pass, torch::Tensor input);
  // Registers `pass`'s layers in `module` under the names make_pass gave them.
  static void add_script_pass(ScriptEmitter& emitter, torch::jit::Module& module, const Pass& pass,
                              const std::string& name);

  SeparableConvOptions options_;
  Pass first_;
  Pass second_;
};

}  // namespace nas
