#include "search_spaces/vit_resnas/vit_resnas_layer_norm.hpp"

#include "ops/script_emitter.hpp"

namespace nas {

torch::Tensor masked_layer_norm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                const torch::Tensor& mask, double eps) {
  if (!mask.defined()) return torch::layer_norm(x, {x.size(-1)}, weight, bias, eps);
  const torch::Tensor active = mask.sum(torch::IntArrayRef{-1}, /*keepdim=*/true);  // k per example, [B, 1, 1]
  const torch::Tensor mean = (x * mask).sum(torch::IntArrayRef{-1}, true) / active;
  const torch::Tensor centered = (x - mean) * mask;
  const torch::Tensor variance = centered.square().sum(torch::IntArrayRef{-1}, true) / active;
  return (centered * torch::rsqrt(variance + eps) * weight + bias) * mask;
}

VitLayerNormImpl::VitLayerNormImpl(std::int64_t channels, double eps_) : eps(eps_) {
  weight = register_parameter("weight", torch::ones({channels}));
  bias = register_parameter("bias", torch::zeros({channels}));
}

torch::Tensor VitLayerNormImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  return masked_layer_norm(x, weight, bias, mask, eps);
}

torch::jit::Module VitLayerNormImpl::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("LayerNorm");
  ScriptEmitter::copy_tensors(*this, module);
  emitter.define(module, "def forward(self, x: Tensor) -> Tensor:\n    return torch.layer_norm(x, [" +
                             std::to_string(weight.size(0)) + "], self.weight, self.bias, " + script_float(eps) +
                             ")\n");
  return module;
}

}  // namespace nas
