#pragma once
// Splits a dataset's training images into the training subset and the validation set a search uses,
// and computes the normalisation statistics from that subset. Shared by every image dataset loader.
#include <torch/torch.h>

#include <cstdint>

#include "core/config_node.hpp"
#include "evaluators/datasets/image_dataset.hpp"

namespace nas {

struct SplitSizes {
  std::int64_t train_subset = 10000;  // 0: every image not held out for validation
  std::int64_t validation = 2000;
};

// Reads `train_subset` and `validation` from the `dataset:` section.
SplitSizes read_split_sizes(const ConfigNode& section);

// Draws validation and then the training subset from `images` [N, C, H, W] (uint8) and `labels` [N]
// by a shuffle seeded with `seed`, and fills the train/val tensors and mean/std of `dataset`.
// `section` locates the error when the sizes ask for more images than there are.
void split_training_images(ImageDataset& dataset, const torch::Tensor& images, const torch::Tensor& labels,
                           const SplitSizes& sizes, const ConfigNode& section, std::uint64_t seed);

// 0 .. count-1 shuffled by an engine seeded with `seed`: the same on every run, whatever other threads draw.
torch::Tensor seeded_order(std::int64_t count, std::uint64_t seed);

// mean and std of `dataset` from its training images, per channel.
void set_normalisation(ImageDataset& dataset);

// uint8 images in [0, 255] -> float32 in [0, 1].
torch::Tensor to_unit_float(const torch::Tensor& images);

}  // namespace nas
