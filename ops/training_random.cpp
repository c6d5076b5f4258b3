#include "ops/training_random.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace nas {
namespace {

thread_local c10::optional<at::Generator> installed_generator;

// splitmix64's finaliser: nearby trial seeds give unrelated generator seeds, and the stream is not the
// one torch::manual_seed(seed) gave the initial weights.
std::uint64_t mix(std::uint64_t seed) {
  seed += 0x9e3779b97f4a7c15ULL;
  seed = (seed ^ (seed >> 30)) * 0xbf58476d1ce4e5b9ULL;
  seed = (seed ^ (seed >> 27)) * 0x94d049bb133111ebULL;
  return seed ^ (seed >> 31);
}

}  // namespace

TrainingRandomScope::TrainingRandomScope(std::uint64_t seed) : previous_(installed_generator) {
  installed_generator = at::detail::createCPUGenerator(mix(seed));
}

TrainingRandomScope::~TrainingRandomScope() { installed_generator = previous_; }

torch::Tensor bernoulli_mask(at::IntArrayRef shape, double keep, const torch::TensorOptions& options) {
  if (!installed_generator) return torch::empty(shape, options).bernoulli_(keep);
  const torch::TensorOptions on_cpu = options.device(torch::kCPU);
  return torch::empty(shape, on_cpu).bernoulli_(keep, installed_generator).to(options.device());
}

torch::Tensor training_dropout(const torch::Tensor& input, double p, bool training) {
  if (!training || p == 0) return input;
  if (p >= 1) return torch::zeros_like(input);
  const double keep = 1.0 - p;
  return input * (bernoulli_mask(input.sizes(), keep, input.options()) / keep);
}

}  // namespace nas
