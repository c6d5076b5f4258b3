#pragma once
// The residual spatial reduction (RSR) between two stages (official nets/vit_sr_supernet.py
// SpatialReductionPatchEmbedding), from C_in to C_out >= C_in channels, halving the token grid:
//   main path:     LN over all tokens; the patch tokens as a [C_in, H, W] grid -> 3x3 stride-2
//                  padding-1 conv (with a bias) -> flattened + a new position embedding; the class
//                  token -> Linear(C_in, C_out);
//   residual path: the un-normalised tokens: patch grid -> 2x2 average pool, stride 2; the class token
//                  as it is; both zero-padded from C_in to C_out channels;
//   output = main + residual.
#include <torch/torch.h>

#include "search_spaces/vit_resnas/vit_resnas_layer_norm.hpp"

namespace nas {

class ScriptEmitter;

class VitResnasReductionImpl : public torch::nn::Module {
 public:
  // `grid_h` x `grid_w`: the input's patch grid, even on both sides.
  VitResnasReductionImpl(std::int64_t in, std::int64_t out, std::int64_t grid_h, std::int64_t grid_w);
  // `x` [B, 1 + grid_h grid_w, C_in] -> [B, 1 + grid_h grid_w / 4, C_out]. `in_mask`: the supernet's
  // embedding mask of the input [B, 1, C_in], undefined stand-alone; the caller masks the output.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& in_mask = {});
  torch::jit::Module to_script(ScriptEmitter& emitter) const;

  torch::Tensor pos_embed;

 private:
  std::int64_t in_, out_, grid_h_, grid_w_;
  VitLayerNorm norm_{nullptr};
  torch::nn::Conv2d conv_{nullptr};
  torch::nn::Linear token_{nullptr};
};
TORCH_MODULE(VitResnasReduction);

}  // namespace nas
