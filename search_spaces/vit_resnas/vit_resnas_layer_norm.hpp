#pragma once
// The LayerNorm of ViT-ResNAS (official nets/masked_layer_norm.py): in the supernet each example may
// use only the leading k of the C channels (its sub-network's width), so the statistics are taken
// over those k channels alone and the output is zeroed beyond them. On an example whose inactive
// channels are zero this is exactly LayerNorm of the sub-network's slice, weight[:k] and bias[:k].
#include <torch/torch.h>

namespace nas {

class ScriptEmitter;

// `x` [B, N, C]; `mask` [B, 1, C] of ones on each example's leading active channels and zeros after
// them, or undefined for plain LayerNorm over all C channels. Unlike the official code (which takes
// the mean of x^2 minus the squared mean, relying on masked channels being zero), the variance sums
// the squared deviations of the active channels, as LayerNorm does, for the same rounding.
torch::Tensor masked_layer_norm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                const torch::Tensor& mask, double eps);

class VitLayerNormImpl : public torch::nn::Module {
 public:
  VitLayerNormImpl(std::int64_t channels, double eps);
  // `mask`: as masked_layer_norm's, undefined for a stand-alone network.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask = {});
  // torch.layer_norm over the last dimension with the same weight, bias and epsilon.
  torch::jit::Module to_script(ScriptEmitter& emitter) const;

  torch::Tensor weight, bias;
  double eps;
};
TORCH_MODULE(VitLayerNorm);

}  // namespace nas
