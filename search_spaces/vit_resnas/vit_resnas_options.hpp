#pragma once
// What a ViT-ResNAS space is configured with (the `space:` section of an experiment file, name
// "vit_resnas"). Keys, all optional:
//
//   preset: fashion_mnist   which super-network (default fashion_mnist):
//     tiny          the official Tiny super-network (supernet_config/sr_tiny_mh.py): conv stem
//                   (3x3 stride-2 conv to 24 + BN + ReLU; two 3x3 conv + BN + ReLU with a residual
//                   around them; 7x7 stride-7 conv to the embedding, with bias), 16x16 tokens at
//                   224x224; 3 stages of 6 blocks, blocks 2, 4, 6 skippable.
//     small         the official Small super-network (sr_small_mh.py): the same stem, 3 stages of
//                   7 blocks (fixed, skippable, fixed, skippable, fixed, skippable, fixed).
//     fashion_mnist a small version for 28x28 images (docs: the fact sheet's "tiny config"): input
//                   zero-padded to 32x32; 3x3 stride-2 conv to 8 + BN + ReLU -> 2x2 stride-2 conv to
//                   the embedding, with bias -> 8x8 tokens; 3 stages of 2 blocks, the second
//                   skippable.
//   drop_path: 0            largest drop-path (stochastic depth) rate, in [0, 1). As in the
//                           official code the rate grows linearly over the network's transformer
//                           blocks, from 0 at the first to this at the last: over all blocks of the
//                           supernet, and over the kept blocks of a stand-alone network (the
//                           official searched networks list only their kept blocks).
//
// Accepted input sizes: fashion_mnist takes images up to 32x32, which it pads to 32x32 (the padding
// split evenly, an odd pixel at the bottom/right). tiny and small take any size whose token grid
// (stride-2 conv then stride-7 conv: floor((floor((H - 1) / 2) + 1) / 7) per side) is a multiple of
// 4, since each of the two spatial reductions halves an even grid; 224x224 (16x16 tokens) is the
// official size, and the only one the official code accepts.
#include <cstdint>
#include <string>
#include <vector>

#include "core/config_node.hpp"

namespace nas {

enum class VitResnasStemKind {
  kConvResidual,  // tiny, small: 3x3/2 conv-BN-ReLU, 2 x (3x3 conv-BN-ReLU) + residual, 7x7/7 conv
  kSmallImages,   // fashion_mnist: pad, 3x3/2 conv-BN-ReLU, 2x2/2 conv
};

// The choices of one stage; every option list is ordered largest first, so that option 0 is the
// supernet's own (maximal) value.
struct VitResnasStageOptions {
  std::vector<std::int64_t> embed;  // embedding widths
  std::int64_t head_dim = 0;        // fixed per stage: width changes through the number of heads
  std::vector<std::int64_t> heads;
  std::vector<std::int64_t> mlp;  // MLP hidden units
  std::vector<bool> skippable;    // per block: whether it may be skipped

  std::int64_t max_embed() const { return embed.front(); }
  std::int64_t max_heads() const { return heads.front(); }
  std::int64_t max_mlp() const { return mlp.front(); }
  std::size_t blocks() const { return skippable.size(); }
};

struct VitResnasOptions {
  std::string preset = "fashion_mnist";
  VitResnasStemKind stem = VitResnasStemKind::kSmallImages;
  std::int64_t stem_channels = 8;  // channels of the stem's inner convolutions
  std::int64_t pad_to = 32;        // kSmallImages: the side images are zero-padded to
  std::vector<VitResnasStageOptions> stages;
  double drop_path = 0.0;
};

// The presets' names, the default first.
const std::vector<std::string>& vit_resnas_presets();
// The options of preset `name` (drop_path 0); throws nas::Error for another name.
VitResnasOptions vit_resnas_preset(const std::string& name);

// Reads and checks every key of the section it accepts; the caller reports unknown keys.
VitResnasOptions read_vit_resnas_options(const ConfigNode& section);

}  // namespace nas
