// The property every einspace architecture must have, checked on 2,000 sampled ones (1,000 at
// Fashion-MNIST's 1x28x28 and 1,000 at CIFAR's 3x32x32) and on 500 mutations of them: the shapes
// inferred without running anything are those the built network produces, step by step; the
// inferred parameter count is the network's; it trains (forward and backward on a batch of 2); and its
// TorchScript export computes what it computes.
#include <gtest/gtest.h>

#include <torch/csrc/jit/runtime/graph_executor.h>

#include "core/rng.hpp"
#include "ops/script_emitter.hpp"
#include "search_spaces/einspace/einspace_network.hpp"
#include "tests/search_spaces/einspace_test_support.hpp"
#include "tests/support/network_check.hpp"

namespace nas {
namespace {

// Caps that keep 2,500 builds, backward passes and script compilations within the suite's minutes;
// the grammar, its probabilities and every terminal are the paper's.
const int kSamples = 1000;
const int kMutations = 250;
const char* const kOptions = "  max_params: 300000\n  max_feature_elements: 100000\n  max_operations: 300\n";

std::vector<std::int64_t> batch_shape(std::int64_t batch, const EinShape& shape) {
  std::vector<std::int64_t> sizes{batch};
  for (int i = 0; i < shape.rank; ++i) sizes.push_back(shape.dims[i]);
  return sizes;
}

// Equal where finite; non-finite in the same places (an architecture can overflow, identically).
double script_difference(const torch::Tensor& script, const torch::Tensor& cpp) {
  const torch::Tensor finite = torch::isfinite(cpp);
  EXPECT_TRUE(torch::equal(finite, torch::isfinite(script)));
  if (!finite.any().item<bool>()) return 0;
  return (script.masked_select(finite) - cpp.masked_select(finite)).abs().max().item<double>();
}

void check_architecture(const EinspaceSpace& space, const Architecture& arch, const TaskShape& task) {
  SCOPED_TRACE(arch.short_form().substr(0, 300));
  const EinProgram program = space.program_of(arch, task);
  auto network = std::dynamic_pointer_cast<EinspaceNetwork>(space.build(arch, task));
  ASSERT_TRUE(network);
  EXPECT_EQ(parameter_count(*network), program.params);
  EXPECT_EQ(space.describe(arch, task).params, program.params);

  network->train();
  const std::vector<torch::Tensor> tensors = network->forward_all(torch::randn({2, task.channels, task.height, task.width}));
  for (const EinStep& step : program.steps)
    for (int output : step.outputs)
      ASSERT_EQ(tensors[output].sizes(), batch_shape(2, step.output_shape)) << step.name();
  const torch::Tensor logits = tensors[program.output];
  ASSERT_EQ(logits.sizes(), (std::vector<std::int64_t>{2, task.classes}));
  torch::nn::functional::cross_entropy(logits, torch::tensor({0, 1})).backward();
  for (const auto& parameter : network->parameters()) EXPECT_TRUE(parameter.grad().defined());

  network->eval();
  ScriptEmitter emitter;
  torch::jit::Module script = network->to_script(emitter);
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::randn({3, task.channels, task.height, task.width});
  EXPECT_LE(script_difference(script.forward({x}).toTensor(), network->forward(x)), testing::kScriptTolerance);
}

void check_sampled_and_mutated(const TaskShape& task, std::uint64_t seed, int samples, int mutations) {
  // The JIT's graph optimisations (common-subexpression elimination) take minutes on the longest
  // straight-line programs; what is compared here is what the code computes, so run it unoptimised.
  torch::jit::setGraphExecutorOptimize(false);
  auto space = testing::make_einspace(task, kOptions);
  Rng rng(seed);
  RandomPolicy policy(rng);
  std::vector<Architecture> sampled;
  for (int i = 0; i < samples; ++i) {
    sampled.push_back(space->sample(policy));
    check_architecture(*space, sampled.back(), task);
    if (::testing::Test::HasFatalFailure()) return;
  }
  for (int i = 0; i < mutations; ++i) {
    check_architecture(*space, space->mutate(sampled[rng.index(sampled.size())], rng), task);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(EinspaceProperty, SampledAndMutatedArchitecturesAt1x28x28BuildTrainAndExportAsInferred) {
  check_sampled_and_mutated(testing::task(1, 28, 28), 101, kSamples, kMutations);
}

TEST(EinspaceProperty, SampledAndMutatedArchitecturesAt3x32x32BuildTrainAndExportAsInferred) {
  check_sampled_and_mutated(testing::task(3, 32, 32), 202, kSamples, kMutations);
}

TEST(EinspaceProperty, SeedsExportAsTheyCompute) {
  for (const TaskShape& task : {testing::task(1, 28, 28), testing::task(3, 32, 32)}) {
    auto space = testing::make_einspace(task);
    for (const auto& name : space->named_architectures()) testing::expect_export_matches(*space, space->named(name), task);
  }
}

}  // namespace
}  // namespace nas
