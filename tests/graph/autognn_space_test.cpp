// The autognn space: its decisions, genotype round trips, named architectures, sizes and networks.
#include <gtest/gtest.h>

#include "core/config_node.hpp"
#include "ops/graph/graph_network.hpp"
#include "ops/script_emitter.hpp"
#include "search_spaces/autognn/autognn_space.hpp"
#include "../support/scratch.hpp"

namespace nas {
namespace {

using testing::error_of;

std::unique_ptr<SearchSpace> space(const std::string& keys = "") {
  const ConfigNode root = ConfigNode::parse("space: {name: autognn" + keys + "}", "test.yaml");
  return make_search_space(root.section("space"));
}

const TaskShape kTask{20, 1, 1, 3};

TEST(AutognnSpace, AsksFiveDecisionsPerLayerButTheLastLayersUnits) {
  auto s = space(", layers: 3");
  Rng rng(4);
  RandomPolicy policy(rng);
  const Architecture arch = s->sample(policy);
  ASSERT_EQ(arch.choices().size(), 14u);
  EXPECT_EQ(arch.choices()[0].key, "layer0/attention");
  EXPECT_EQ(arch.choices()[4].key, "layer0/units");
  EXPECT_EQ(arch.choices()[13].key, "layer2/heads");
  std::vector<std::string> kinds;
  for (const DecisionKind& kind : s->decision_kinds()) kinds.push_back(kind.name);
  EXPECT_EQ(kinds, (std::vector<std::string>{"attention", "aggregator", "activation", "heads", "units"}));
  EXPECT_EQ(s->decision_kinds()[0].options.size(), 7u);
  EXPECT_EQ(s->decision_kinds()[4].options.front(), "4");
  EXPECT_EQ(s->decision_kinds()[4].options.back(), "256");
}

TEST(AutognnSpace, GenotypesRoundTripThroughJsonShortFormAndChoices) {
  auto s = space();
  Rng rng(5);
  for (int i = 0; i < 20; ++i) {
    RandomPolicy policy(rng);
    const Architecture arch = s->sample(policy);
    EXPECT_EQ(s->from_genotype(arch.genotype()).hash(), arch.hash());
    EXPECT_EQ(s->from_genotype(Json(arch.short_form())).hash(), arch.hash());
    EXPECT_EQ(s->replay(arch.choices()).hash(), arch.hash());
  }
  EXPECT_EQ(s->named("gat").short_form(), "gat sum elu 8x8 | gat sum linear 1xC");
  EXPECT_EQ(s->named("graphnas-cora").short_form(), "const sum relu6 2x128 | gat sum linear 2xC");
}

TEST(AutognnSpace, BadGenotypesAndOptionsAreNamed) {
  auto s = space();
  EXPECT_NE(error_of([&] { s->from_genotype(Json("gat sum elu 8xC")); }).find("has 1 layers; this space has 2"),
            std::string::npos);
  EXPECT_NE(error_of([&] { s->from_genotype(Json("gatt sum elu 8x8 | gat sum linear 1xC")); }).find("did you mean 'gat'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { s->from_genotype(Json("gat sum elu 8x8 | gat sum linear 1x7")); }).find("HEADSxC"),
            std::string::npos);
  EXPECT_NE(error_of([&] { space(", heads: [3]"); }).find("space.heads"), std::string::npos);
  auto narrow = space(", heads: [1, 2]");
  EXPECT_NE(error_of([&] { narrow->named("gat"); }).find("'8' is not offered by this space (space.heads)"),
            std::string::npos);
}

TEST(AutognnSpace, DescribeCountsTheParametersTheNetworkHas) {
  auto s = space();
  Rng rng(6);
  for (int i = 0; i < 10; ++i) {
    RandomPolicy policy(rng);
    const Architecture arch = s->sample(policy);
    const auto net = s->build(arch, kTask);
    EXPECT_EQ(s->describe(arch, kTask).params, parameter_count(*net)) << arch.short_form();
  }
}

TEST(AutognnSpace, ResidualKeyGivesEveryLayerButTheFirstAResidualAndDescribeCountsIt) {
  auto plain = space();
  auto residual = space(", residual: true");
  const Architecture arch = residual->named("gat");
  const auto built = residual->build(arch, kTask);
  auto& net = dynamic_cast<GraphNetwork&>(*built);
  const auto layers = net.shareable_layers();
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0].first.find("residual"), std::string::npos) << layers[0].first;
  EXPECT_NE(layers[1].first.find("residual"), std::string::npos) << layers[1].first;
  // The second layer projects its 64 inputs to 1 head x 3 classes once more.
  EXPECT_EQ(residual->describe(arch, kTask).params, parameter_count(net));
  EXPECT_EQ(residual->describe(arch, kTask).params - plain->describe(arch, kTask).params, 64 * 3);
  EXPECT_EQ(residual->describe(arch, kTask).madds - plain->describe(arch, kTask).madds, 64 * 3);
}

TEST(AutognnSpace, BuildsAGraphNetworkWhoseScriptTakesFeaturesAndEdges) {
  auto s = space();
  torch::manual_seed(0);
  const auto built = s->build(s->named("gat"), kTask);
  auto& net = dynamic_cast<GraphNetwork&>(*built);
  const torch::Tensor edges = torch::tensor({0, 1, 2, 3, 1, 2, 3, 0}, torch::kInt64).view({2, 4});
  const torch::Tensor both = torch::cat({edges, edges.flip(0)}, 1);
  const torch::Tensor x = torch::rand({4, 20});
  net.eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor logits = net.forward_graph(x, both);
  EXPECT_EQ(logits.sizes(), (std::vector<std::int64_t>{4, 3}));
  ScriptEmitter emitter;
  torch::jit::Module script = net.to_script(emitter);
  EXPECT_TRUE(torch::allclose(script.forward({x, both}).toTensor(), logits, 1e-5, 1e-5));
  EXPECT_NE(error_of([&] { net.forward(x); }).find("forward_graph"), std::string::npos);
  EXPECT_EQ(net.shareable_layers().size(), 2u);
}

}  // namespace
}  // namespace nas
