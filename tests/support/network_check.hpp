#pragma once
// What the network tests of every space need: parameter counts, trained-looking networks, and the
// outputs of a C++ network and of its TorchScript export compared.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <limits>
#include <memory>
#include <string>

#include "ops/network.hpp"
#include "ops/script_export.hpp"
#include "search_spaces/search_space.hpp"

namespace nas::testing {

// How far an exported module's outputs may be from the C++ module's.
constexpr double kScriptTolerance = 1e-5;

inline bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

inline double max_difference(const torch::Tensor& actual, const torch::Tensor& expected) {
  EXPECT_EQ(actual.sizes(), expected.sizes());
  if (actual.sizes() != expected.sizes()) return std::numeric_limits<double>::infinity();
  return (actual - expected).abs().max().item<double>();
}

// Moves every parameter and BN statistic away from its initial value (BN's weight 1, bias 0, mean 0,
// variance 1), so that a script that drops, swaps or ignores a tensor computes something else.
inline void randomize(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& parameter : module.named_parameters()) parameter.value().add_(0.2 * torch::randn_like(parameter.value()));
  for (auto& buffer : module.named_buffers()) {
    if (ends_with(buffer.key(), "running_mean")) buffer.value().normal_(0.0, 0.3);
    if (ends_with(buffer.key(), "running_var")) buffer.value().uniform_(0.5, 2.0);
  }
}

// A trained-looking network: a few training-mode steps move the BN statistics, as training does. It
// is left in training mode, so that an export must compute eval mode by itself.
inline std::shared_ptr<Network> build_trained(const SearchSpace& space, const Architecture& arch,
                                              const TaskShape& task) {
  std::shared_ptr<Network> network = space.build(arch, task);
  randomize(*network);
  network->train();
  network->set_progress(0.5);
  torch::NoGradGuard no_grad;
  for (int step = 0; step < 2; ++step) network->forward(torch::randn({4, task.channels, task.height, task.width}));
  return network;
}

// Per-channel statistics of the kind a data pipeline normalises by.
inline torch::Tensor channel_values(std::int64_t channels, double first) {
  return torch::linspace(first, first + 0.1, channels);
}

// What an exported classifier must compute: the C++ network in eval mode on normalised images.
inline torch::Tensor cpp_logits(Network& network, const torch::Tensor& images, const torch::Tensor& mean,
                                const torch::Tensor& std) {
  network.eval();
  torch::NoGradGuard no_grad;
  return network.forward((images - mean.view({1, -1, 1, 1})) / std.view({1, -1, 1, 1}));
}

// Exports a trained-looking `arch` built for `task` as an image classifier (ops/script_export.hpp) and
// expects its logits to be the C++ network's in eval mode.
inline void expect_export_matches(const SearchSpace& space, const Architecture& arch, const TaskShape& task) {
  SCOPED_TRACE(arch.short_form());
  std::shared_ptr<Network> network = build_trained(space, arch, task);
  const torch::Tensor mean = channel_values(task.channels, 0.4), std = channel_values(task.channels, 0.2);
  torch::jit::Module script = script_image_classifier(*network, mean, std);
  EXPECT_TRUE(network->is_training());  // exporting leaves the C++ network as it was
  const torch::Tensor images = torch::rand({3, task.channels, task.height, task.width});
  const torch::Tensor expected = cpp_logits(*network, images, mean, std);
  torch::NoGradGuard no_grad;
  EXPECT_LE(max_difference(script.forward({images}).toTensor(), expected), kScriptTolerance);
}

}  // namespace nas::testing
