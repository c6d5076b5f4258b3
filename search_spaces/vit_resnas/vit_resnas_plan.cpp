#include "search_spaces/vit_resnas/vit_resnas_plan.hpp"

#include "core/error.hpp"

namespace nas {
namespace {

// Output size of a convolution without dilation; 0 when the kernel does not fit.
std::int64_t conv_out(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t pad) {
  const std::int64_t span = in + 2 * pad - kernel;
  return span < 0 ? 0 : span / stride + 1;
}

std::string size_text(std::int64_t h, std::int64_t w) { return std::to_string(h) + "x" + std::to_string(w); }

}  // namespace

std::string vit_resnas_block_name(std::size_t stage, std::size_t position) {
  return "stage" + std::to_string(stage + 1) + "_block" + std::to_string(position + 1);
}

std::string vit_resnas_reduction_name(std::size_t stage) { return "stage" + std::to_string(stage + 1) + "_reduction"; }

VitResnasPlan make_vit_resnas_plan(const VitResnasGenotype& genotype, const VitResnasOptions& options,
                                   const TaskShape& task) {
  const std::string where = "vit_resnas (preset " + options.preset + ")";
  const std::string images = std::to_string(task.channels) + "x" + size_text(task.height, task.width) + " images";
  if (task.channels < 1 || task.height < 1 || task.width < 1 || task.classes < 1)
    throw Error(where, "cannot build a network for " + images + " and " + std::to_string(task.classes) + " classes");
  if (genotype.stages.size() != options.stages.size())
    throw Error(where, "the genotype has " + std::to_string(genotype.stages.size()) + " stages, the preset " +
                           std::to_string(options.stages.size()));

  VitResnasPlan plan;
  plan.stem = options.stem;
  plan.in_channels = task.channels;
  plan.stem_channels = options.stem_channels;
  plan.input_h = task.height;
  plan.input_w = task.width;
  plan.classes = task.classes;

  std::int64_t grid_h = 0, grid_w = 0;
  if (options.stem == VitResnasStemKind::kSmallImages) {
    if (task.height > options.pad_to || task.width > options.pad_to)
      throw Error(where, "takes images of at most " + size_text(options.pad_to, options.pad_to) +
                             ", which it zero-pads to that size; got " + images);
    const std::int64_t extra_h = options.pad_to - task.height, extra_w = options.pad_to - task.width;
    plan.padding = {extra_w / 2, extra_w - extra_w / 2, extra_h / 2, extra_h - extra_h / 2};
    plan.stem_h = conv_out(options.pad_to, 3, 2, 1);
    plan.stem_w = plan.stem_h;
    grid_h = conv_out(plan.stem_h, 2, 2, 0);
    grid_w = grid_h;
  } else {
    plan.stem_h = conv_out(task.height, 3, 2, 1);
    plan.stem_w = conv_out(task.width, 3, 2, 1);
    grid_h = conv_out(plan.stem_h, 7, 7, 0);
    grid_w = conv_out(plan.stem_w, 7, 7, 0);
    if (grid_h < 1 || grid_w < 1)
      throw Error(where, images +
                             " are too small for the stem (a stride-2 conv, then a 7x7 stride-7 conv); "
                             "224x224 gives the official 16x16 tokens");
  }

  std::size_t kept = 0;
  for (const VitResnasStageGenotype& stage : genotype.stages)
    for (const VitResnasBlockGenotype& block : stage.blocks) kept += block.keep ? 1 : 0;

  std::size_t block_index = 0;
  for (std::size_t s = 0; s < options.stages.size(); ++s) {
    const VitResnasStageOptions& stage_options = options.stages[s];
    const VitResnasStageGenotype& stage_genotype = genotype.stages[s];
    if (s > 0) {
      // A residual spatial reduction (RSR) halves the grid twice over: its stride-2, padding-1 conv
      // gives ceil(n / 2) tokens per side, its 2x2 average pool floor(n / 2); only an even grid makes
      // the two paths agree.
      if (grid_h % 2 != 0 || grid_w % 2 != 0)
        throw Error(where, "the token grid of stage " + std::to_string(s) + " is " + size_text(grid_h, grid_w) +
                               " for " + images + "; the residual spatial reduction before stage " +
                               std::to_string(s + 1) +
                               " needs an even grid (its stride-2 conv and its 2x2 average pool disagree on odd "
                               "sides), so the first stage's grid must be a multiple of " +
                               std::to_string(1 << (options.stages.size() - 1)) + " per side" +
                               (options.stem == VitResnasStemKind::kConvResidual ? " (224x224 gives 16x16)" : ""));
      grid_h /= 2;
      grid_w /= 2;
      if (stage_genotype.embed < plan.stages.back().embed)
        throw Error(where, "stage " + std::to_string(s + 1) + " is narrower (" + std::to_string(stage_genotype.embed) +
                               ") than stage " + std::to_string(s) + " (" + std::to_string(plan.stages.back().embed) +
                               "); the reduction's residual path only zero-pads channels");
    }
    if (stage_genotype.blocks.size() != stage_options.blocks())
      throw Error(where, "stage " + std::to_string(s + 1) + " of the genotype has " +
                             std::to_string(stage_genotype.blocks.size()) + " blocks, the preset " +
                             std::to_string(stage_options.blocks()));
    VitResnasStagePlan stage;
    stage.embed = stage_genotype.embed;
    stage.grid_h = grid_h;
    stage.grid_w = grid_w;
    for (std::size_t b = 0; b < stage_genotype.blocks.size(); ++b) {
      const VitResnasBlockGenotype& block = stage_genotype.blocks[b];
      if (!block.keep) continue;
      VitResnasBlockPlan block_plan;
      block_plan.position = b;
      block_plan.embed = stage.embed;
      block_plan.heads = block.heads;
      block_plan.head_dim = stage_options.head_dim;
      block_plan.mlp = block.mlp;
      // torch.linspace(0, drop_path, kept) as the official code spaces the rates.
      block_plan.drop_path =
          kept > 1 ? options.drop_path * static_cast<double>(block_index) / static_cast<double>(kept - 1) : 0.0;
      ++block_index;
      stage.blocks.push_back(block_plan);
    }
    plan.stages.push_back(std::move(stage));
  }
  return plan;
}

}  // namespace nas
