#include "evaluators/datasets/validation_split.hpp"

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

namespace nas {

SplitSizes read_split_sizes(const ConfigNode& section) {
  SplitSizes sizes;
  sizes.train_subset = section.integer("train_subset", sizes.train_subset, 0);
  sizes.validation = section.integer("validation", sizes.validation, 1);
  return sizes;
}

torch::Tensor to_unit_float(const torch::Tensor& images) { return images.to(torch::kFloat32).div_(255.0); }

void split_training_images(ImageDataset& dataset, const torch::Tensor& images, const torch::Tensor& labels,
                           const SplitSizes& sizes, const ConfigNode& section, std::uint64_t seed) {
  const std::int64_t available = images.size(0);
  if (sizes.validation >= available)
    throw section.error("validation", "asks for " + std::to_string(sizes.validation) + " validation images, but " +
                                          dataset.name + " has only " + std::to_string(available) +
                                          " training images and some must be left to train on");
  if (sizes.train_subset + sizes.validation > available)
    throw section.error("train_subset", "train_subset + validation = " +
                                            std::to_string(sizes.train_subset + sizes.validation) + " is more than the " +
                                            std::to_string(available) + " training images of " + dataset.name +
                                            " (use train_subset: 0 for all that validation leaves)");
  const std::int64_t train_count = sizes.train_subset == 0 ? available - sizes.validation : sizes.train_subset;

  const auto index = seeded_order(available, seed);
  const auto val_index = index.slice(0, 0, sizes.validation);
  const auto train_index = index.slice(0, sizes.validation, sizes.validation + train_count);

  dataset.val_images = to_unit_float(images.index_select(0, val_index));
  dataset.val_labels = labels.index_select(0, val_index);
  dataset.train_images = to_unit_float(images.index_select(0, train_index));
  dataset.train_labels = labels.index_select(0, train_index);

  set_normalisation(dataset);
}

torch::Tensor seeded_order(std::int64_t count, std::uint64_t seed) {
  // std::shuffle with a fixed engine is the same on every run of this build, unlike torch::randperm,
  // whose global generator other workers may be drawing from.
  std::vector<std::int64_t> order(static_cast<std::size_t>(count));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 engine(seed);
  std::shuffle(order.begin(), order.end(), engine);
  return torch::tensor(order, torch::kInt64);
}

void set_normalisation(ImageDataset& dataset) {
  // Statistics over examples and pixels, one value per channel.
  dataset.mean = dataset.train_images.mean({0, 2, 3});
  // A constant channel would divide by zero when normalising.
  dataset.std = dataset.train_images.std({0, 2, 3}, /*unbiased=*/false).clamp_min(1e-6);
}

}  // namespace nas
