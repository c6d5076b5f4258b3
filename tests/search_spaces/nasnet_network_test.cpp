// NASNet networks as a trainer uses them: parameter counts that match the paper and the op graph,
// logits of the right shape, drop-path that follows the training progress, a drawing of every op.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "core/config_node.hpp"
#include "core/rng.hpp"
#include "ops/network.hpp"
#include "search_spaces/nasnet/nasnet_space.hpp"
#include "tests/support/network_check.hpp"

namespace nas {
namespace {


std::unique_ptr<SearchSpace> make_space(const std::string& options = "") {
  return make_search_space(ConfigNode::parse("space:\n  name: nasnet\n" + options, "test.yaml").section("space"));
}

const TaskShape kFashionMnist{1, 28, 28, 10};
const TaskShape kCifar10{3, 32, 32, 10};

TEST(NasnetSpaceNetwork, NasnetAOnCifar10HasThePapers3Point3MParameters) {
  // Paper Table 1: NASNet-A 6 @ 768, 3.3M parameters; the count leaves out slim's auxiliary head,
  // which only training uses.
  auto space = make_space("  cells_per_stage: 6\n  channels: 32\n  stem_multiplier: 3\n");
  const Architecture arch = space->named("nasnet-a");
  const ModelSummary summary = space->describe(arch, kCifar10);
  EXPECT_NEAR(static_cast<double>(summary.params), 3.3e6, 0.02 * 3.3e6);
  EXPECT_EQ(summary.layers.back().kind, "linear");
  EXPECT_EQ(summary.layers.back().params, 768 * 10 + 10);  // 6 @ 768: the penultimate width is 768
  auto network = space->build(arch, kCifar10);
  EXPECT_EQ(parameter_count(*network), summary.params);
}

TEST(NasnetSpaceNetwork, OpGraphCountsEveryModuleParameter) {
  auto space = make_space();
  EXPECT_EQ(parameter_count(*space->build(space->named("nasnet-a"), kFashionMnist)),
            space->describe(space->named("nasnet-a"), kFashionMnist).params);
  auto wide_stem = make_space("  blocks: 3\n  stem_multiplier: 3\n  cells_per_stage: 2\n");
  Rng rng(5);
  RandomPolicy policy(rng);
  for (int i = 0; i < 20; ++i) {
    const SearchSpace& s = i % 2 ? *space : *wide_stem;
    const Architecture arch = s.sample(policy);
    const TaskShape task = i % 4 < 2 ? kFashionMnist : kCifar10;
    EXPECT_EQ(parameter_count(*s.build(arch, task)), s.describe(arch, task).params) << arch.short_form();
  }
}

TEST(NasnetSpaceNetwork, ForwardGivesOneRowOfLogitsPerExample) {
  auto space = make_space();
  Rng rng(9);
  RandomPolicy policy(rng);
  torch::manual_seed(0);
  for (const TaskShape& task : {kFashionMnist, kCifar10, TaskShape{3, 32, 32, 7}}) {
    for (int i = 0; i < 3; ++i) {
      const Architecture arch = space->sample(policy);
      auto network = space->build(arch, task);
      const torch::Tensor logits = network->forward(torch::randn({2, task.channels, task.height, task.width}));
      EXPECT_EQ(logits.sizes(), (std::vector<std::int64_t>{2, task.classes})) << arch.short_form();
      EXPECT_TRUE(logits.isfinite().all().item<bool>());
    }
  }
  const torch::Tensor logits = space->build(space->named("nasnet-a"), kFashionMnist)->forward(torch::randn({2, 1, 28, 28}));
  EXPECT_EQ(logits.sizes(), (std::vector<std::int64_t>{2, 10}));
}

TEST(NasnetSpaceNetwork, EveryOpHandlesOddAndEvenSizesAtBothStrides) {
  // A reduction cell reading s0/s1 with every op, at an odd (7) and an even (8) size after the
  // first reduction; a concat block feeds ops a wider input.
  auto space = make_space("  blocks: 2\n");
  torch::manual_seed(0);
  for (const std::string& op : nasnet_op_labels()) {
    const Json cell = Json::array(
        {Json{{"inputs", {"s0", "s1"}}, {"ops", {op, op}}, {"combine", "concat"}},
         Json{{"inputs", {"s2", "s0"}}, {"ops", {op, "identity"}}, {"combine", "add"}}});
    const Architecture arch = space->from_genotype(Json{{"normal", cell}, {"reduction", cell}});
    for (std::int64_t size : {14, 16}) {
      const TaskShape task{1, size, size, 10};
      auto network = space->build(arch, task);
      EXPECT_EQ(network->forward(torch::randn({2, 1, size, size})).sizes(), (std::vector<std::int64_t>{2, 10})) << op;
      EXPECT_EQ(parameter_count(*network), space->describe(arch, task).params) << op;
    }
  }
}

TEST(NasnetSpaceNetwork, DropPathFollowsTrainingProgress) {
  auto space = make_space("  drop_path_keep: 0.5\n");
  torch::manual_seed(0);
  auto network = space->build(space->named("nasnet-a"), kFashionMnist);
  const torch::Tensor input = torch::randn({8, 1, 28, 28});
  network->train();
  network->set_progress(0.0);  // the schedule starts with nothing dropped
  EXPECT_TRUE(torch::allclose(network->forward(input), network->forward(input)));
  network->set_progress(1.0);
  EXPECT_FALSE(torch::allclose(network->forward(input), network->forward(input)));
  network->eval();
  EXPECT_TRUE(torch::allclose(network->forward(input), network->forward(input)));
}

TEST(NasnetSpaceNetwork, DescribeListsEveryLayerAndDrawsIt) {
  auto space = make_space("  stem_stride: 1\n");  // the tiny config of the fact sheet: 28 -> 14 -> 7
  const ModelSummary summary = space->describe(space->named("nasnet-a"), kFashionMnist);
  ASSERT_FALSE(summary.layers.empty());
  std::int64_t params = 0, madds = 0;
  for (const LayerSummary& layer : summary.layers) {
    EXPECT_NE(summary.dot.find("\"" + layer.name + "\\n"), std::string::npos) << layer.name;
    params += layer.params;
    madds += layer.madds;
  }
  EXPECT_EQ(params, summary.params);
  EXPECT_EQ(madds, summary.madds);
  EXPECT_GT(summary.madds, summary.params);
  EXPECT_EQ(summary.layers.front().name, "stem/conv_3x3");
  EXPECT_EQ(summary.layers.front().output_shape, "8x28x28");
  EXPECT_EQ(summary.layers.back().output_shape, "10x1x1");
  // Five cells (normal, reduction, normal, reduction, normal), each its own cluster; 28 -> 14 -> 7.
  for (int cell = 0; cell < 5; ++cell)
    EXPECT_NE(summary.dot.find("subgraph cluster_cell" + std::to_string(cell)), std::string::npos);
  bool saw_final_concat = false;
  for (const LayerSummary& layer : summary.layers)
    if (layer.name == "cell4/concat") {
      saw_final_concat = true;
      EXPECT_EQ(layer.output_shape, "192x7x7");  // 6 * 8 * 4, as the tiny config says
    }
  EXPECT_TRUE(saw_final_concat);
}

}  // namespace
}  // namespace nas

namespace nas {
namespace {

TEST(NasnetSpaceNetwork, StridedStemQuartersTheCellWorkAndKeepsTheParameters) {
  auto plain = make_space("  blocks: 3\n  stem_stride: 1\n");
  auto strided = make_space("  blocks: 3\n  stem_stride: 2\n");
  Rng rng(11);
  RandomPolicy policy(rng);
  for (int i = 0; i < 3; ++i) {
    const Architecture arch = plain->sample(policy);
    const Architecture same = strided->replay(arch.choices());
    const ModelSummary full = plain->describe(arch, kFashionMnist);
    const ModelSummary halved = strided->describe(same, kFashionMnist);
    EXPECT_EQ(full.params, halved.params);
    EXPECT_LT(halved.madds, full.madds / 3) << arch.short_form();
    auto network = strided->build(same, kFashionMnist);
    EXPECT_EQ(parameter_count(*network), halved.params);
    EXPECT_EQ(network->forward(torch::randn({2, 1, 28, 28})).sizes(), (std::vector<std::int64_t>{2, 10}));
  }
}

}  // namespace
}  // namespace nas
