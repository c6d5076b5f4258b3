#include "search_spaces/vit_resnas/vit_resnas_options.hpp"

#include "core/suggest.hpp"

namespace nas {
namespace {

// `from`, `from - step`, ..., down to `to`: the official MLP choices.
std::vector<std::int64_t> descending(std::int64_t from, std::int64_t to, std::int64_t step) {
  std::vector<std::int64_t> values;
  for (std::int64_t v = from; v >= to; v -= step) values.push_back(v);
  return values;
}

// Fixed and skippable blocks alternating, the first fixed.
std::vector<bool> alternating(std::size_t blocks) {
  std::vector<bool> skippable(blocks);
  for (std::size_t b = 0; b < blocks; ++b) skippable[b] = b % 2 == 1;
  return skippable;
}

// supernet_config/sr_tiny_mh.py (attn widths = heads x head_dim there).
VitResnasOptions tiny_preset() {
  VitResnasOptions options;
  options.preset = "tiny";
  options.stem = VitResnasStemKind::kConvResidual;
  options.stem_channels = 24;
  options.pad_to = 0;
  options.stages = {
      {{256, 224, 192, 176, 160}, 32, {6, 5, 4, 3}, descending(768, 384, 64), alternating(6)},
      {{512, 448, 384, 352, 320}, 48, {12, 10, 8, 6}, descending(1536, 768, 128), alternating(6)},
      {{1024, 896, 768, 704, 640}, 64, {12, 10, 8, 6}, descending(3072, 1536, 256), alternating(6)},
  };
  return options;
}

// supernet_config/sr_small_mh.py.
VitResnasOptions small_preset() {
  VitResnasOptions options = tiny_preset();
  options.preset = "small";
  options.stages = {
      {{320, 280, 240, 220, 200}, 32, {8, 7, 6, 5}, descending(960, 480, 80), alternating(7)},
      {{640, 560, 480, 440, 400}, 48, {16, 14, 12, 10}, descending(1920, 960, 160), alternating(7)},
      {{1280, 1120, 960, 880, 800}, 64, {16, 14, 12, 10}, descending(3840, 1920, 320), alternating(7)},
  };
  return options;
}

// The fact sheet's tiny config: MLP widths {2, 1.5, 1} x the stage's largest embedding.
VitResnasOptions fashion_mnist_preset() {
  VitResnasOptions options;
  options.preset = "fashion_mnist";
  options.stem = VitResnasStemKind::kSmallImages;
  options.stem_channels = 8;
  options.pad_to = 32;
  options.stages = {
      {{32, 24, 16}, 8, {4, 3, 2}, {64, 48, 32}, alternating(2)},
      {{64, 48, 32}, 8, {8, 6, 4}, {128, 96, 64}, alternating(2)},
      {{128, 96, 64}, 16, {8, 6, 4}, {256, 192, 128}, alternating(2)},
  };
  return options;
}

}  // namespace

const std::vector<std::string>& vit_resnas_presets() {
  static const std::vector<std::string> names = {"fashion_mnist", "tiny", "small"};
  return names;
}

VitResnasOptions vit_resnas_preset(const std::string& name) {
  if (name == "fashion_mnist") return fashion_mnist_preset();
  if (name == "tiny") return tiny_preset();
  if (name == "small") return small_preset();
  throw Error("", "unknown ViT-ResNAS preset '" + name + "'; " + accepted_list(name, vit_resnas_presets()));
}

VitResnasOptions read_vit_resnas_options(const ConfigNode& section) {
  VitResnasOptions options =
      vit_resnas_preset(section.choice("preset", vit_resnas_presets().front(), vit_resnas_presets(), "preset"));
  // Below 1: a rate of 1 would drop every branch and divide by a keep probability of 0.
  options.drop_path = section.number("drop_path", 0.0, 0.0, 0.999);
  return options;
}

}  // namespace nas
