#pragma once
// The random draws a training makes as it runs (dropout, drop path) come from a generator of that
// training's own, not from torch's one process-wide generator. Trainings run side by side in the
// evaluator pool; drawing from one shared stream, each would take numbers the other expected, and a
// trial's result would depend on what the other worker happened to be doing, not only on its seed.
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <c10/core/TensorOptions.h>
#include <c10/util/Optional.h>

#include <cstdint>

namespace nas {

// While alive, the random ops below draw, on this thread, from a CPU generator seeded from `seed`
// (mixed, so that it is not the stream torch::manual_seed(seed) gave the initial weights). Scopes nest:
// the destructor puts back what was installed before. Without one, the ops draw from torch's global
// generator, as torch's own would (unit tests, one-off forward passes).
class TrainingRandomScope {
 public:
  explicit TrainingRandomScope(std::uint64_t seed);
  ~TrainingRandomScope();
  TrainingRandomScope(const TrainingRandomScope&) = delete;
  TrainingRandomScope& operator=(const TrainingRandomScope&) = delete;

 private:
  c10::optional<at::Generator> previous_;
};

// Inverted dropout: each element zeroed with probability p, the rest scaled by 1/(1-p); `input` itself
// when not training or p is 0. (Not named `dropout`: argument lookup would also find at::dropout.)
// The mask is drawn on the CPU when a scope is installed and `input` is elsewhere (the generator is a
// CPU one), which costs a copy of the mask.
at::Tensor training_dropout(const at::Tensor& input, double p, bool training);

// A tensor of `shape` whose elements are 1 with probability `keep` and 0 otherwise, with `options`.
at::Tensor bernoulli_mask(at::IntArrayRef shape, double keep, const at::TensorOptions& options);

}  // namespace nas
