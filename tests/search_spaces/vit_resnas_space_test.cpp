// The ViT-ResNAS space as a search uses it: its decisions (largest option first, skipped blocks still
// asked but hashed alike), genotypes and their errors, the official multiply-add count of the searched
// Tiny network, and the stand-alone networks it builds (parameters as described, logits, TorchScript).
#include "search_spaces/vit_resnas/vit_resnas_space.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/config_node.hpp"
#include "core/rng.hpp"
#include "ops/network.hpp"
#include "ops/script_emitter.hpp"
#include "tests/support/network_check.hpp"
#include "tests/support/recording_policy.hpp"

namespace nas {
namespace {

std::unique_ptr<SearchSpace> make_space(const std::string& options = "") {
  return make_search_space(ConfigNode::parse("space:\n  name: vit_resnas\n" + options, "test.yaml").section("space"));
}

const VitResnasSpace& vit(const SearchSpace& space) { return dynamic_cast<const VitResnasSpace&>(space); }

const TaskShape kFashion{1, 28, 28, 10};

// Expects `action` to throw nas::Error whose message holds each of `parts`.
template <typename Action>
void expect_error(Action action, const std::vector<std::string>& parts) {
  try {
    action();
    ADD_FAILURE() << "no error; expected one mentioning " << parts.front();
  } catch (const Error& e) {
    for (const std::string& part : parts) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(VitResnasSpace, AsksEveryDecisionLargestOptionFirst) {
  auto space = make_space();
  testing::RecordingPolicy policy;
  const Architecture arch = space->sample(policy);
  // fashion_mnist: 3 stages x (embed + 2 blocks x (heads, mlp) + keep of block 2).
  ASSERT_EQ(policy.asked.size(), 3u * (1 + 2 * 2 + 1));
  EXPECT_EQ(policy.asked[0].key, "stage1/embed");
  EXPECT_EQ(policy.asked[0].options, (std::vector<std::string>{"32", "24", "16"}));
  EXPECT_EQ(policy.asked[1].key, "stage1/block1/heads");
  EXPECT_EQ(policy.asked[1].options, (std::vector<std::string>{"4", "3", "2"}));
  EXPECT_EQ(policy.asked[2].key, "stage1/block1/mlp");
  EXPECT_EQ(policy.asked[2].options, (std::vector<std::string>{"64", "48", "32"}));
  EXPECT_EQ(policy.asked[5].key, "stage1/block2/keep");
  EXPECT_EQ(policy.asked[5].options, (std::vector<std::string>{"keep", "skip"}));
  EXPECT_EQ(policy.asked[12].key, "stage3/embed");
  EXPECT_EQ(policy.asked[13].key, "stage3/block1/heads");
  EXPECT_EQ(policy.asked[13].options, (std::vector<std::string>{"8", "6", "4"}));
  EXPECT_EQ(policy.asked[14].options, (std::vector<std::string>{"256", "192", "128"}));
  // Every decision's kind is declared, with the decision's options.
  const std::vector<DecisionKind> kinds = space->decision_kinds();
  for (const Decision& decision : policy.asked) {
    auto kind =
        std::find_if(kinds.begin(), kinds.end(), [&](const DecisionKind& k) { return k.name == decision.kind; });
    ASSERT_NE(kind, kinds.end()) << decision.key;
    EXPECT_EQ(kind->options, decision.options) << decision.key;
  }
  EXPECT_EQ(arch.short_form(), "32: 4/64 4/64 | 64: 8/128 8/128 | 128: 8/256 8/256");
}

TEST(VitResnasSpace, PresetsHaveTheOfficialChoices) {
  auto tiny = make_space("  preset: tiny\n");
  const VitResnasOptions& options = vit(*tiny).options();
  ASSERT_EQ(options.stages.size(), 3u);
  EXPECT_EQ(options.stages[1].embed, (std::vector<std::int64_t>{512, 448, 384, 352, 320}));
  EXPECT_EQ(options.stages[2].mlp, (std::vector<std::int64_t>{3072, 2816, 2560, 2304, 2048, 1792, 1536}));
  EXPECT_EQ(options.stages[0].skippable, (std::vector<bool>{false, true, false, true, false, true}));
  auto small = make_space("  preset: small\n");
  EXPECT_EQ(vit(*small).options().stages[0].mlp, (std::vector<std::int64_t>{960, 880, 800, 720, 640, 560, 480}));
  EXPECT_EQ(vit(*small).options().stages[2].skippable,
            (std::vector<bool>{false, true, false, true, false, true, false}));
  EXPECT_EQ(vit(*small).options().stages[1].heads, (std::vector<std::int64_t>{16, 14, 12, 10}));
}

TEST(VitResnasSpace, RefusesUnknownKeysAndValues) {
  expect_error([] { make_space("  preset: medium\n"); }, {"preset", "medium", "tiny"});
  expect_error([] { make_space("  drop_pth: 0.1\n"); }, {"drop_pth", "drop_path"});
  expect_error([] { make_space("  drop_path: 1.5\n"); }, {"drop_path"});
}

TEST(VitResnasSpace, GenotypesRoundTrip) {
  auto space = make_space();
  Rng rng(5);
  RandomPolicy policy(rng);
  for (int i = 0; i < 20; ++i) {
    const Architecture arch = space->sample(policy);
    EXPECT_EQ(space->from_genotype(arch.genotype()).hash(), arch.hash());
    EXPECT_EQ(space->from_genotype(arch.genotype()).choices().size(), arch.choices().size());
    EXPECT_EQ(space->replay(arch.choices()).genotype(), arch.genotype());
    // The short form alone gives the same network.
    EXPECT_EQ(space->from_genotype(arch.genotype().at("short")).canonical(), arch.canonical());
  }
  const Json genotype = Json::parse(R"({"stages": [
      {"embed": 24, "blocks": [{"heads": 3, "mlp": 48}, {"keep": false}]},
      {"embed": 64, "blocks": [{"heads": 8, "mlp": 64}, {"heads": 4, "mlp": 96, "keep": true}]},
      {"embed": 96, "blocks": [{"heads": 6, "mlp": 128}, {"heads": 4, "mlp": 256, "keep": false}]}]})");
  const Architecture arch = space->from_genotype(genotype);
  EXPECT_EQ(arch.short_form(), "24: 3/48 - | 64: 8/64 4/96 | 96: 6/128 -");
  EXPECT_EQ(arch.genotype().at("stages")[0].at("blocks")[1].at("heads"), 4);  // the largest, when left out
}

TEST(VitResnasSpace, SkippedBlocksHashAlikeWhateverTheirHeadsAndMlp) {
  auto space = make_space();
  const Architecture a = space->from_genotype(Json("24: 3/48 - | 64: 8/64 4/96 | 96: 6/128 -"));
  Json genotype = a.genotype();
  genotype["stages"][0]["blocks"][1]["heads"] = 2;
  genotype["stages"][2]["blocks"][1]["mlp"] = 192;
  genotype.erase("short");
  const Architecture b = space->from_genotype(genotype);
  EXPECT_NE(a.choices()[3].label, b.choices()[3].label);  // stage1/block2/heads
  EXPECT_EQ(a.hash(), b.hash());
  // A kept block's heads do count.
  genotype["stages"][0]["blocks"][0]["heads"] = 2;
  EXPECT_NE(space->from_genotype(genotype).hash(), a.hash());
  // Mutation always changes the network.
  Rng rng(3);
  for (int i = 0; i < 30; ++i) EXPECT_NE(space->mutate(a, rng).hash(), a.hash());
}

TEST(VitResnasSpace, RefusesBadGenotypesNamingKeyValueAndAccepted) {
  auto space = make_space();
  const Json good = space->from_genotype(Json("24: 3/48 - | 64: 8/64 4/96 | 96: 6/128 -")).genotype();
  auto with = [&](const std::string& pointer, const Json& value) {
    Json bad = good;
    bad.erase("short");
    bad[Json::json_pointer(pointer)] = value;
    return bad;
  };
  expect_error([&] { space->from_genotype(with("/stages/1/embed", 40)); },
               {"genotype.stages[1].embed", "40", "64, 48, 32"});
  expect_error([&] { space->from_genotype(with("/stages/2/blocks/0/heads", 5)); },
               {"genotype.stages[2].blocks[0].heads", "5", "8, 6, 4"});
  expect_error([&] { space->from_genotype(with("/stages/0/blocks/0/mlp", "wide")); },
               {"genotype.stages[0].blocks[0].mlp", "whole number"});
  expect_error([&] { space->from_genotype(with("/stages/0/blocks/0/keep", false)); },
               {"genotype.stages[0].blocks[0].keep", "cannot be skipped"});
  expect_error([&] { space->from_genotype(with("/stages/0/blocks/0/width", 3)); }, {"width", "heads, mlp, keep"});
  expect_error([&] { space->from_genotype(Json::parse(R"({"stages": []})")); }, {"genotype.stages", "3 stages"});
  expect_error([&] { space->from_genotype(with("/short", "nonsense")); }, {"genotype.short", "nonsense"});
  expect_error([&] { space->from_genotype(Json("24: 3/48 | 64: 8/64 4/96 | 96: 6/128 -")); },
               {"stage 1", "1 blocks, not 2"});
  expect_error([&] { space->from_genotype(Json("24: 3/48 - | 64: 8/64 4/97 | 96: 6/128 -")); }, {"97", "128, 96, 64"});
  expect_error([&] { space->from_genotype(Json(7)); }, {"genotype", "short form"});
}

TEST(VitResnasSpace, NamedTinySearchedOnlyInTheTinyPreset) {
  auto tiny = make_space("  preset: tiny\n");
  EXPECT_EQ(tiny->named_architectures(), (std::vector<std::string>{"tiny-searched"}));
  const Architecture arch = tiny->named("tiny-searched");
  EXPECT_EQ(arch.short_form(),
            "176: 3/704 3/576 3/640 4/576 4/704 - | 352: 10/1408 8/1408 8/1280 8/1408 10/1280 10/1024 | "
            "704: 10/2560 10/1792 10/2816 8/2816 8/2560 -");
  auto fashion = make_space();
  EXPECT_TRUE(fashion->named_architectures().empty());
  expect_error([&] { fashion->named("tiny-searched"); }, {"tiny-searched", "tiny preset"});
  expect_error([&] { tiny->named("tiny-serched"); }, {"tiny-serched", "tiny-searched"});
}

// The official counter (yilunliao/vit-search network_utils/compute_flop_mac.py) on the network_def of
// scripts/vit-sr-nas/searched_net/tiny.sh, run as
//   python3 -c "from network_utils.compute_flop_mac import ComputationEstimator as E;
//     print(E(distill=False, input_resolution=224, patch_size=14)(<network_def of tiny.sh>))"
// (one line) in the repository's root.
// prints 1782630272; the paper's search kept it at most 1.794e9.
TEST(VitResnasSpace, TinySearchedMultiplyAddsMatchTheOfficialCounter) {
  auto tiny = make_space("  preset: tiny\n");
  const ModelSummary summary = tiny->describe(tiny->named("tiny-searched"), TaskShape{3, 224, 224, 1000});
  const double official = 1782630272.0;
  EXPECT_NEAR(static_cast<double>(summary.madds), official, 0.005 * official);
  EXPECT_EQ(summary.madds, 1782630272);  // the same terms, so the same count
  EXPECT_LE(summary.madds, 1.794e9);
  // 5 + 6 + 5 blocks, 2 reductions, the stem's 4 convs and residual add, the tokens and the head.
  EXPECT_EQ(summary.layers.size(), 16u + 2 + 5 + 1 + 1);
  EXPECT_NE(summary.dot.find("stage3_block5"), std::string::npos);
  EXPECT_EQ(summary.dot.find("stage3_block6"), std::string::npos);
}

TEST(VitResnasSpace, DescribedParametersAreTheBuiltNetworks) {
  auto space = make_space();
  Rng rng(8);
  RandomPolicy policy(rng);
  for (int i = 0; i < 8; ++i) {
    const Architecture arch = space->sample(policy);
    SCOPED_TRACE(arch.short_form());
    EXPECT_EQ(space->describe(arch, kFashion).params, parameter_count(*space->build(arch, kFashion)));
  }
  auto tiny = make_space("  preset: tiny\n");
  const Architecture searched = tiny->named("tiny-searched");
  const TaskShape imagenet{3, 224, 224, 1000};
  EXPECT_EQ(tiny->describe(searched, imagenet).params, parameter_count(*tiny->build(searched, imagenet)));
}

TEST(VitResnasSpace, RefusesImagesThatDoNotFit) {
  auto fashion = make_space();
  testing::RecordingPolicy largest;
  const Architecture arch = fashion->sample(largest);
  expect_error([&] { fashion->describe(arch, TaskShape{3, 64, 64, 10}); }, {"at most 32x32", "3x64x64"});
  EXPECT_NO_THROW(fashion->describe(arch, TaskShape{3, 32, 32, 10}));
  auto tiny = make_space("  preset: tiny\n");
  const Architecture searched = tiny->named("tiny-searched");
  // 3x84x84: 42 after the stride-2 conv, a 6x6 grid, then 3x3: odd before the second reduction.
  expect_error(
      [&] {
        tiny->describe(searched, TaskShape{3, 84, 84, 10});
      },
      {"3x3", "even grid", "stage 3", "multiple of 4"});
  expect_error([&] { tiny->build(searched, TaskShape{3, 8, 8, 10}); }, {"too small"});
  EXPECT_NO_THROW(tiny->describe(searched, TaskShape{3, 112, 112, 10}));  // 8x8 tokens
}

TEST(VitResnasNetwork, FashionMnistBatchGivesLogits) {
  auto space = make_space("  drop_path: 0.1\n");
  Rng rng(2);
  RandomPolicy policy(rng);
  torch::manual_seed(0);
  for (int i = 0; i < 3; ++i) {
    std::shared_ptr<Network> network = space->build(space->sample(policy), kFashion);
    const torch::Tensor logits = network->forward(torch::randn({2, 1, 28, 28}));
    EXPECT_EQ(logits.sizes(), (std::vector<std::int64_t>{2, 10}));
    EXPECT_TRUE(torch::isfinite(logits).all().item<bool>());
    logits.sum().backward();  // trainable end to end
  }
  std::shared_ptr<Network> network = space->build(space->sample(policy), kFashion);
  expect_error([&] { network->forward(torch::randn({2, 1, 32, 32})); }, {"1x28x28", "[2, 1, 32, 32]"});
}

TEST(VitResnasNetwork, TorchScriptComputesForwardInEvalMode) {
  auto space = make_space();
  Rng rng(4);
  RandomPolicy policy(rng);
  torch::manual_seed(1);
  for (int i = 0; i < 3; ++i) testing::expect_export_matches(*space, space->sample(policy), kFashion);
  // Smaller images (padded unevenly) and more channels.
  testing::expect_export_matches(*space, space->sample(policy), TaskShape{3, 27, 30, 5});
}

TEST(VitResnasNetwork, TinySearchedTorchScriptComputesForwardInEvalMode) {
  // The tiny preset's stem on 112x112 images (8x8 tokens). Its logits are large after randomize(),
  // so the tolerance is relative to them.
  auto tiny = make_space("  preset: tiny\n");
  const TaskShape task{3, 112, 112, 4};
  torch::manual_seed(2);
  std::shared_ptr<Network> network = testing::build_trained(*tiny, tiny->named("tiny-searched"), task);
  ScriptEmitter emitter;
  torch::jit::Module script = network->to_script(emitter);
  const torch::Tensor images = torch::randn({2, 3, 112, 112});
  network->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor expected = network->forward(images);
  const double scale = std::max(1.0, expected.abs().max().item<double>());
  EXPECT_LE(testing::max_difference(script.forward({images}).toTensor(), expected), 1e-5 * scale);
}

}  // namespace
}  // namespace nas
