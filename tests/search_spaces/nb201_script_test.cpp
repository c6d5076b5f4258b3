// TorchScript export of NAS-Bench-201 networks: the emitted code computes what the C++ network
// computes in eval mode, for cells with every op and with all-zero nodes, and survives save and load,
// so that `nas export` serves nb201 runs.
#include <gtest/gtest.h>

#include <torch/script.h>

#include "core/config_node.hpp"
#include "core/rng.hpp"
#include "ops/script_export.hpp"
#include "search_spaces/nb201/nb201_space.hpp"
#include "tests/support/network_check.hpp"
#include "tests/support/scratch.hpp"

namespace nas {
namespace {

using testing::build_trained;
using testing::channel_values;
using testing::cpp_logits;
using testing::expect_export_matches;
using testing::kScriptTolerance;
using testing::max_difference;

std::unique_ptr<SearchSpace> make_space(const std::string& options = "") {
  return make_search_space(ConfigNode::parse("space:\n  name: nb201\n" + options, "test.yaml").section("space"));
}

TEST(Nb201ScriptNetwork, ChosenAndSampledCellsMatchTheCppNetworkInEvalMode) {
  auto space = make_space("  channels: 4\n  cells_per_stage: 2\n");
  torch::manual_seed(3);
  const TaskShape task{1, 28, 28, 10};
  // Every op, and nodes that hold zeros (node 1 here, node 2 in the next one), which later ops read.
  for (const char* arch_str :
       {"|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|",
        "|none~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|avg_pool_3x3~0|nor_conv_3x3~1|skip_connect~2|",
        "|skip_connect~0|+|none~0|none~1|+|none~0|avg_pool_3x3~1|nor_conv_1x1~2|",
        "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"})
    expect_export_matches(*space, space->from_genotype(Json(arch_str)), task);
  Rng rng(11);
  RandomPolicy policy(rng);
  for (int i = 0; i < 3; ++i) expect_export_matches(*space, space->sample(policy), TaskShape{3, 16, 16, 7});
}

TEST(Nb201ScriptNetwork, TheBenchmarksNetworkMatchesToo) {
  auto space = make_space();
  torch::manual_seed(4);
  Rng rng(2);
  RandomPolicy policy(rng);
  expect_export_matches(*space, space->sample(policy), TaskShape{1, 28, 28, 10});
}

class Nb201ScriptFile : public testing::ScratchDirTest {};

TEST_F(Nb201ScriptFile, LoadsBackWithTheSameOutputsAndParameters) {
  auto space = make_space("  channels: 4\n  cells_per_stage: 1\n");
  torch::manual_seed(6);
  const TaskShape task{1, 12, 12, 10};
  const Architecture arch =
      space->from_genotype(Json("|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|none~2|"));
  std::shared_ptr<Network> network = build_trained(*space, arch, task);
  const torch::Tensor mean = channel_values(1, 0.5), std = channel_values(1, 0.2);
  const std::string path = dir("nb201.pt");
  script_image_classifier(*network, mean, std).save(path);
  torch::jit::Module loaded = torch::jit::load(path);
  const torch::Tensor images = torch::rand({2, 1, 12, 12});
  const torch::Tensor expected = cpp_logits(*network, images, mean, std);
  torch::NoGradGuard no_grad;
  EXPECT_LE(max_difference(loaded.forward({images}).toTensor(), expected), kScriptTolerance);
  EXPECT_EQ(loaded.parameters().size(), network->parameters().size());
}

}  // namespace
}  // namespace nas
