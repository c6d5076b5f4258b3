// NAS-Bench-201 networks as a trainer uses them: the parameter counts of the benchmark's own code,
// the op graph counting every module parameter, logits for Fashion-MNIST batches, a drawing of the cell.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "core/config_node.hpp"
#include "core/rng.hpp"
#include "ops/network.hpp"
#include "search_spaces/nb201/nb201_space.hpp"
#include "tests/support/network_check.hpp"
#include "tests/support/scratch.hpp"

namespace nas {
namespace {


std::unique_ptr<SearchSpace> make_space(const std::string& options = "") {
  return make_search_space(ConfigNode::parse("space:\n  name: nb201\n" + options, "test.yaml").section("space"));
}

Architecture cell(const SearchSpace& space, const std::string& arch_str) { return space.from_genotype(Json(arch_str)); }

const TaskShape kFashionMnist{1, 28, 28, 10};
const TaskShape kCifar10{3, 32, 32, 10};

TEST(Nb201Network, ParameterCountsAreThoseOfTheBenchmarksNetwork) {
  // Counted with the benchmark's TinyNetwork(C=16, N=5, genotype, 10) from D-X-Y/AutoDL-Projects on
  // CIFAR-10; the all-3x3 cell is the published 1.53M maximum of the space.
  auto space = make_space();
  const std::vector<std::pair<std::string, std::int64_t>> known = {
      {"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 73306},
      {"|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|", 1531546},
      {"|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|", 802426},
      {"|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|", 129306},
  };
  for (const auto& [arch_str, params] : known) {
    const Architecture arch = cell(*space, arch_str);
    EXPECT_EQ(space->describe(arch, kCifar10).params, params) << arch_str;
    EXPECT_EQ(parameter_count(*space->build(arch, kCifar10)), params) << arch_str;
  }
  // One 3x3 conv at 16 channels on 32x32: 16 * 16 * 9 * 32 * 32 multiply-adds, 15 cells' worth of them
  // split over three stages (each stage has twice the channels and a quarter of the positions).
  const std::int64_t none = space->describe(cell(*space, known[0].first), kCifar10).madds;
  const std::int64_t one_conv =
      space->describe(cell(*space, "|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|"), kCifar10).madds;
  EXPECT_EQ(one_conv - none, 5 * (16 * 16 * 9 * 32 * 32) * 3);
}

TEST(Nb201Network, OpGraphCountsEveryModuleParameter) {
  Rng rng(5);
  RandomPolicy policy(rng);
  auto benchmark = make_space();
  auto small = make_space("  channels: 4\n  cells_per_stage: 2\n");
  for (int i = 0; i < 12; ++i) {
    const SearchSpace& space = i % 2 ? *benchmark : *small;
    const TaskShape task = i % 4 < 2 ? kFashionMnist : kCifar10;
    const Architecture arch = space.sample(policy);
    EXPECT_EQ(parameter_count(*space.build(arch, task)), space.describe(arch, task).params) << arch.short_form();
  }
}

TEST(Nb201Network, ForwardOnAFashionMnistBatchGivesOneRowOfLogitsPerExample) {
  auto space = make_space();
  torch::manual_seed(0);
  for (const std::string arch_str :
       {"|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
        // node 1 and node 2 hold zeros: the convs after them still run
        "|none~0|+|none~0|nor_conv_1x1~1|+|none~0|nor_conv_3x3~1|nor_conv_3x3~2|",
        "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"}) {
    const std::shared_ptr<Network> network = space->build(cell(*space, arch_str), kFashionMnist);
    for (bool training : {true, false}) {
      network->train(training);
      const torch::Tensor logits = network->forward(torch::rand({3, 1, 28, 28}));
      EXPECT_EQ(logits.sizes(), (std::vector<std::int64_t>{3, 10})) << arch_str;
      EXPECT_TRUE(logits.isfinite().all().item<bool>()) << arch_str;
    }
  }
}

TEST(Nb201Network, ImagesThatCannotBeHalvedTwiceAreRefused) {
  auto space = make_space();
  const Architecture arch = cell(*space, "|skip_connect~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|");
  const std::string message = testing::error_of([&] { space->describe(arch, TaskShape{1, 30, 30, 10}); });
  EXPECT_NE(message.find("stage 2 ends at 15x15"), std::string::npos) << message;
  EXPECT_NE(message.find("divide by 4"), std::string::npos) << message;
}

TEST(Nb201Network, DescribeListsTheLayersAndDrawsTheCell) {
  auto space = make_space();
  const std::string arch_str = "|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_1x1~2|";
  const ModelSummary summary = space->describe(cell(*space, arch_str), kFashionMnist);
  EXPECT_EQ(summary.layers.front().name, "stem/conv_3x3_bn");
  EXPECT_EQ(summary.layers.front().output_shape, "16x28x28");
  EXPECT_EQ(summary.layers.back().name, "head/linear");
  EXPECT_EQ(summary.layers.back().params, 64 * 10 + 10);
  // Layer 5 is the first reduction block, as in the benchmark's numbering.
  bool reduction_seen = false;
  for (const LayerSummary& layer : summary.layers)
    if (layer.name == "layer5/conv_a") {
      reduction_seen = true;
      EXPECT_EQ(layer.output_shape, "32x14x14");
    }
  EXPECT_TRUE(reduction_seen);
  // The drawing is of one cell: its ops (none edges left out) and its three sums.
  for (const char* part : {"digraph", "cluster_cell0", arch_str.c_str(), "edge0-1/nor_conv_3x3", "edge1-2/avg_pool_3x3",
                           "edge0-3/skip_connect", "edge2-3/nor_conv_1x1", "node3"})
    EXPECT_NE(summary.dot.find(part), std::string::npos) << part << " is not in\n" << summary.dot;
  EXPECT_EQ(summary.dot.find("/none"), std::string::npos) << summary.dot;
  EXPECT_EQ(summary.dot.find("layer1"), std::string::npos) << summary.dot;
}

}  // namespace
}  // namespace nas
