#pragma once
// A pre-norm transformer block of ViT-ResNAS (official nets/supernet_blocks.py Block):
//   x = x + drop_path(proj(MHSA(LN1(x))))      heads of head_dim, qkv with a bias, scale head_dim^-0.5
//   x = x + drop_path(fc2(GELU(fc1(LN2(x)))))
// In the supernet the same module runs at its largest size under per-example masks (see
// vit_resnas_masks.hpp): LN over the active embedding channels, the concatenated head outputs masked
// before proj, the hidden units masked after GELU, and both branch outputs multiplied by the
// embedding mask and, for a skipped block, by a zero layer mask, which makes the block the identity.
#include <torch/torch.h>

#include "search_spaces/vit_resnas/vit_resnas_layer_norm.hpp"
#include "search_spaces/vit_resnas/vit_resnas_masks.hpp"
#include "search_spaces/vit_resnas/vit_resnas_plan.hpp"

namespace nas {

class ScriptEmitter;

class VitResnasBlockImpl : public torch::nn::Module {
 public:
  explicit VitResnasBlockImpl(const VitResnasBlockPlan& plan);

  // `x` [B, N, C]. `embed_mask` and `masks`: the supernet's (undefined and null stand-alone).
  torch::Tensor forward(torch::Tensor x, const torch::Tensor& embed_mask = {},
                        const VitResnasBlockMasks* masks = nullptr);
  torch::jit::Module to_script(ScriptEmitter& emitter) const;

  // Rewiring (official Attention.rewiring, Mlp.rewiring): re-orders the heads and the MLP hidden
  // units by importance, most important first, so that the leading slices the sub-networks use hold
  // the most important ones. A head's importance sums |weight| and |bias| of its q, k and v rows and
  // |weight| of its proj columns; a hidden unit's sums |fc1 row|, |fc1 bias| and |fc2 column|. The
  // block computes the same function afterwards; an optimizer's per-parameter state is not permuted.
  void rewire();

 private:
  torch::Tensor attention(const torch::Tensor& x, const VitResnasBlockMasks* masks);

  std::int64_t heads_, head_dim_;
  double drop_path_;
  VitLayerNorm norm1_{nullptr}, norm2_{nullptr};
  torch::nn::Linear qkv_{nullptr}, proj_{nullptr}, fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(VitResnasBlock);

}  // namespace nas
