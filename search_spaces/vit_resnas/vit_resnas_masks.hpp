#pragma once
// The per-example masks with which the supernet runs G sub-networks in one pass (official
// nets/channel_drop.py): example b belongs to group b % G, and each mask holds, per example, ones on
// the leading units its group's sub-network uses and zeros after them.
#include <torch/torch.h>

#include <vector>

#include "search_spaces/vit_resnas/vit_resnas_genotype.hpp"
#include "search_spaces/vit_resnas/vit_resnas_plan.hpp"

namespace nas {

struct VitResnasBlockMasks {
  torch::Tensor heads;  // [B, 1, heads x head_dim]: the concatenated head outputs before proj
  torch::Tensor mlp;    // [B, 1, hidden]: the MLP's hidden units after GELU
  torch::Tensor layer;  // [B, 1, 1]: 1 where the block is kept; undefined for a block that cannot be skipped
};

struct VitResnasMasks {
  std::vector<torch::Tensor> embed;                      // per stage, [B, 1, C]
  std::vector<std::vector<VitResnasBlockMasks>> blocks;  // per stage, per block position
};

// The masks of `groups` (one genotype per group) for a batch of `batch` examples, sized by the
// supernet's plan (every block kept, the largest widths), as float tensors with `options`.
VitResnasMasks make_vit_resnas_masks(const std::vector<VitResnasGenotype>& groups, const VitResnasPlan& supernet,
                                     std::int64_t batch, const torch::TensorOptions& options);

}  // namespace nas
