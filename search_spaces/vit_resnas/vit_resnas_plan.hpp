#pragma once
// The concrete network of one ViT-ResNAS architecture for one task: what describe() counts and the
// network and supernet build, with the token grid of every stage checked against the input size.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "search_spaces/task.hpp"
#include "search_spaces/vit_resnas/vit_resnas_genotype.hpp"
#include "search_spaces/vit_resnas/vit_resnas_options.hpp"

namespace nas {

// LayerNorm epsilon of the official code (nets/masked_layer_norm.py), not PyTorch's 1e-5.
constexpr double kVitLayerNormEpsilon = 1e-6;
// The official initialisation: truncated normal of this standard deviation for Linear weights,
// position embeddings and the class token.
constexpr double kVitInitStd = 0.02;

struct VitResnasBlockPlan {
  std::size_t position = 0;  // within the stage, skipped blocks counted: names the block's module
  std::int64_t embed = 0;
  std::int64_t heads = 0;
  std::int64_t head_dim = 0;
  std::int64_t mlp = 0;
  double drop_path = 0.0;

  std::int64_t attention_width() const { return heads * head_dim; }
};

struct VitResnasStagePlan {
  std::int64_t embed = 0;
  std::int64_t grid_h = 0;  // patch tokens of the stage: grid_h x grid_w, plus the class token
  std::int64_t grid_w = 0;
  std::vector<VitResnasBlockPlan> blocks;  // the kept blocks, in order

  std::int64_t sequence() const { return 1 + grid_h * grid_w; }
};

struct VitResnasPlan {
  VitResnasStemKind stem = VitResnasStemKind::kSmallImages;
  std::int64_t in_channels = 1;
  std::int64_t stem_channels = 8;
  std::int64_t input_h = 0, input_w = 0;  // the task's images
  std::array<std::int64_t, 4> padding{};  // kSmallImages: left, right, top, bottom
  std::int64_t stem_h = 0, stem_w = 0;    // after the stem's stride-2 conv
  std::vector<VitResnasStagePlan> stages;
  std::int64_t classes = 0;
};

// Throws nas::Error when the task's images do not fit the preset (see vit_resnas_options.hpp).
VitResnasPlan make_vit_resnas_plan(const VitResnasGenotype& genotype, const VitResnasOptions& options,
                                   const TaskShape& task);

// Module names shared by the network, its TorchScript form, describe() and weight inheritance.
std::string vit_resnas_block_name(std::size_t stage, std::size_t position);  // "stage1_block2"
std::string vit_resnas_reduction_name(std::size_t stage);                    // "stage2_reduction"

}  // namespace nas
