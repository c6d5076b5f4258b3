#include "search_spaces/vit_resnas/vit_resnas_masks.hpp"

#include "core/error.hpp"

namespace nas {
namespace {

// [batch, 1, width]: row b has ones on its first active[b % G] entries.
torch::Tensor prefix_mask(const std::vector<std::int64_t>& active, std::int64_t width, const torch::Tensor& group_of,
                          const torch::TensorOptions& options) {
  const auto groups = static_cast<std::int64_t>(active.size());
  const torch::Tensor limits = torch::tensor(active, torch::kLong).view({groups, 1, 1});
  const torch::Tensor positions = torch::arange(width, torch::kLong).view({1, 1, width});
  return (positions < limits).index_select(0, group_of).to(options);
}

}  // namespace

VitResnasMasks make_vit_resnas_masks(const std::vector<VitResnasGenotype>& groups, const VitResnasPlan& supernet,
                                     std::int64_t batch, const torch::TensorOptions& options) {
  const auto count = static_cast<std::int64_t>(groups.size());
  if (count == 0) throw Error("", "the supernet needs at least one group's architecture");
  if (batch < count)
    throw Error("", "a batch of " + std::to_string(batch) + " examples cannot hold " + std::to_string(count) +
                        " groups (example b belongs to group b % G)");
  const torch::Tensor group_of = torch::arange(batch, torch::kLong).remainder(count);
  VitResnasMasks masks;
  for (std::size_t s = 0; s < supernet.stages.size(); ++s) {
    const VitResnasStagePlan& stage = supernet.stages[s];
    std::vector<std::int64_t> embed;
    for (const VitResnasGenotype& group : groups) embed.push_back(group.stages[s].embed);
    masks.embed.push_back(prefix_mask(embed, stage.embed, group_of, options));
    std::vector<VitResnasBlockMasks> blocks;
    for (std::size_t b = 0; b < stage.blocks.size(); ++b) {
      const VitResnasBlockPlan& block = stage.blocks[b];
      std::vector<std::int64_t> heads, mlp, keep;
      bool skipped_somewhere = false;
      for (const VitResnasGenotype& group : groups) {
        const VitResnasBlockGenotype& chosen = group.stages[s].blocks[b];
        heads.push_back(chosen.heads * block.head_dim);
        mlp.push_back(chosen.mlp);
        keep.push_back(chosen.keep ? 1 : 0);
        skipped_somewhere |= !chosen.keep;
      }
      VitResnasBlockMasks block_masks;
      block_masks.heads = prefix_mask(heads, block.attention_width(), group_of, options);
      block_masks.mlp = prefix_mask(mlp, block.mlp, group_of, options);
      // A block no group skips needs no layer mask: multiplying by ones would change nothing.
      if (skipped_somewhere) block_masks.layer = prefix_mask(keep, 1, group_of, options);
      blocks.push_back(std::move(block_masks));
    }
    masks.blocks.push_back(std::move(blocks));
  }
  return masks;
}

}  // namespace nas
