#pragma once
// Export of a trained image classifier as one TorchScript module, for use without this project
// (torch.jit.load in Python, torch::jit::load in C++).
#include <torch/torch.h>

#include "ops/network.hpp"

namespace nas {

// A module whose `forward(self, images: Tensor) -> Tensor` takes float images in [0, 1], [N, C, H, W],
// normalises each channel c as (x - mean[c]) / std[c], as the data pipeline did in training, and
// returns `network`'s eval-mode logits [N, classes]. `mean` and `std` ([C]) become the buffers "mean"
// and "std"; the network (Network::to_script) becomes the submodule "network". The module holds
// copies of the tensors, so training `network` further does not change it.
torch::jit::Module script_image_classifier(const Network& network, const torch::Tensor& mean,
                                           const torch::Tensor& std);

// Saves an exported module to `path`; throws nas::Error naming the file when it cannot be written.
void save_script_module(torch::jit::Module& module, const std::string& path);

}  // namespace nas
