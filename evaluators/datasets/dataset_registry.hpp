#pragma once
// Finds a dataset loader by the name in `dataset.name`. Loaders register themselves, so adding a
// dataset is adding one file. No torch here: callers hold the dataset through a pointer.
#include <cstdint>
#include <functional>
#include <memory>

#include "core/config_node.hpp"
#include "core/registry.hpp"
#include "search_spaces/task.hpp"

namespace nas {

struct ImageDataset;

// Reads the keys of the `dataset:` section it needs (all but `name`) and loads the dataset;
// `seed` is the experiment seed, which decides the validation split.
using DatasetLoader =
    std::function<std::shared_ptr<const ImageDataset>(const ConfigNode& section, std::uint64_t seed)>;
Registry<DatasetLoader>& dataset_registry();

// The shape of a dataset's examples and its number of classes, read from its `dataset:` section without
// loading the images: what drawing an architecture from a search log needs. Each loader's file
// registers its reader (a constant for a fixed dataset; the .npy headers for `npy`).
using DatasetShapeReader = std::function<TaskShape(const ConfigNode& section)>;
Registry<DatasetShapeReader>& dataset_shape_registry();

// Reads `section.name`, loads that dataset and reports keys nobody read.
std::shared_ptr<const ImageDataset> load_dataset(const ConfigNode& section, std::uint64_t seed);

}  // namespace nas
