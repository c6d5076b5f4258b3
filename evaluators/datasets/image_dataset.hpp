#pragma once
// An image-classification dataset as a search uses it: loaded once, then shared read-only by all
// workers, so every tensor lives on the CPU and nothing here changes after loading.
#include <torch/torch.h>

#include <string>
#include <vector>

#include "search_spaces/task.hpp"

namespace nas {

struct ImageDataset {
  std::string name;
  TaskShape shape;
  std::vector<std::string> class_names;
  // Images float32 [N, C, H, W] in [0, 1]; labels int64 [N]. Validation is held out of the training
  // images and disjoint from the training subset; the search never touches the test images.
  torch::Tensor train_images, train_labels;
  torch::Tensor val_images, val_labels;
  torch::Tensor test_images, test_labels;
  // The values images hold, and so what an exported model takes: {0, 1} for images stored as bytes
  // (scaled by 1/255); empty for float32 images, which are used as stored (npy_dataset.cpp says why).
  std::vector<double> input_range{0.0, 1.0};
  // Per-channel statistics of the training subset [C], used to normalise every batch.
  torch::Tensor mean, std;
};

}  // namespace nas
