// The ViT-ResNAS supernet (fashion_mnist preset): the rows of each group of a masked multi-architecture
// pass equal the output of the stand-alone network extracted for that group's architecture, in
// training and in eval mode; MaskedLayerNorm is LayerNorm of the slice; rewiring leaves the largest
// network's function unchanged; group sampling follows the official choice banks and warm-up.
#include "search_spaces/vit_resnas/vit_resnas_supernet.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

#include "core/config_node.hpp"
#include "core/rng.hpp"
#include "search_spaces/vit_resnas/vit_resnas_layer_norm.hpp"
#include "search_spaces/vit_resnas/vit_resnas_space.hpp"
#include "tests/support/network_check.hpp"
#include "tests/support/recording_policy.hpp"

namespace nas {
namespace {

const TaskShape kFashion{1, 28, 28, 10};
constexpr double kTolerance = 1e-5;

std::unique_ptr<SearchSpace> make_space(const std::string& options = "") {
  return make_search_space(ConfigNode::parse("space:\n  name: vit_resnas\n" + options, "test.yaml").section("space"));
}

// A supernet whose weights are moved off their initial values (LayerNorm weights off 1, biases off 0,
// BatchNorm statistics off 0 and 1), so that a wrong slice or a missed copy shows. The moves are of
// the weights' own scale (std 0.02 for the Linear layers), unlike testing::randomize's 0.2, which
// would make the activations, and with them the rounding differences, large.
std::shared_ptr<VitResnasSupernet> make_supernet(const SearchSpace& space, std::uint64_t seed) {
  torch::manual_seed(seed);
  auto supernet = std::dynamic_pointer_cast<VitResnasSupernet>(space.build_supernet(kFashion));
  EXPECT_TRUE(supernet);
  torch::NoGradGuard no_grad;
  for (auto& parameter : supernet->named_parameters()) {
    const bool norm = parameter.key().find("norm") != std::string::npos;
    parameter.value().add_((norm ? 0.2 : 0.02) * torch::randn_like(parameter.value()));
  }
  for (auto& buffer : supernet->named_buffers()) {
    if (testing::ends_with(buffer.key(), "running_mean")) buffer.value().normal_(0.0, 0.3);
    if (testing::ends_with(buffer.key(), "running_var")) buffer.value().uniform_(0.5, 2.0);
  }
  return supernet;
}

// Rows g, g + G, g + 2G, ... of `batch`.
torch::Tensor group_rows(const torch::Tensor& batch, std::int64_t group, std::int64_t groups) {
  return batch.index_select(0, torch::arange(group, batch.size(0), groups, torch::kLong));
}

// The largest difference, over the groups, between the supernet's rows of a group and the output of
// the network extracted for it, both on the whole batch, in the supernet's current mode.
double group_difference(VitResnasSupernet& supernet, const std::vector<Architecture>& groups,
                        const torch::Tensor& batch) {
  torch::NoGradGuard no_grad;
  const auto count = static_cast<std::int64_t>(groups.size());
  const torch::Tensor masked = supernet.forward(batch, groups);
  double worst = 0;
  for (std::int64_t g = 0; g < count; ++g) {
    std::shared_ptr<Network> network = supernet.extract(groups[static_cast<std::size_t>(g)]);
    EXPECT_EQ(network->is_training(), supernet.is_training());
    const torch::Tensor alone = network->forward(batch);
    worst = std::max(worst, testing::max_difference(group_rows(masked, g, count), group_rows(alone, g, count)));
  }
  return worst;
}

TEST(VitResnasSupernet, GroupRowsEqualTheExtractedNetworksInTrainAndEvalMode) {
  auto space = make_space();
  auto supernet = make_supernet(*space, 11);
  Rng rng(7);
  std::map<bool, double> worst;
  std::set<std::string> seen;
  for (int round = 0; round < 13; ++round) {  // 52 sub-networks, 4 per pass
    const std::vector<Architecture> groups = supernet->sample_groups(4, /*epoch=*/10, /*warmup_epochs=*/2, rng);
    for (const Architecture& arch : groups) seen.insert(arch.hash());
    const torch::Tensor batch = torch::randn({8, 1, 28, 28});
    for (bool training : {true, false}) {
      supernet->train(training);
      worst[training] = std::max(worst[training], group_difference(*supernet, groups, batch));
    }
  }
  std::printf("[ vit_resnas ] masked vs extracted, max |diff|: train %.3g, eval %.3g (%zu distinct networks)\n",
              worst[true], worst[false], seen.size());
  EXPECT_LE(worst[true], kTolerance);
  EXPECT_LE(worst[false], kTolerance);
  EXPECT_GE(seen.size(), 45u);
}

TEST(VitResnasSupernet, TheLargestAndSmallestNetworksMatchToo) {
  auto space = make_space();
  auto supernet = make_supernet(*space, 12);
  testing::RecordingPolicy largest_policy;
  const Architecture largest = space->sample(largest_policy);
  const Architecture smallest = space->from_genotype(Json("16: 2/32 - | 32: 4/64 - | 64: 4/128 -"));
  const Architecture mixed = space->from_genotype(Json("24: 3/48 4/64 | 64: 4/64 - | 96: 8/128 6/192"));
  const torch::Tensor batch = torch::randn({6, 1, 28, 28});
  for (bool training : {true, false}) {
    supernet->train(training);
    EXPECT_LE(group_difference(*supernet, {largest, smallest, mixed}, batch), kTolerance);
    EXPECT_LE(group_difference(*supernet, {smallest}, batch), kTolerance);
  }
}

TEST(VitResnasSupernet, MaskedLayerNormIsLayerNormOfTheSlice) {
  torch::manual_seed(3);
  // (Not 1: LayerNorm of one channel is its bias up to rounding that 1/sqrt(eps) magnifies.)
  const std::vector<std::int64_t> active = {16, 12, 8, 3, 2};
  const std::int64_t batch = 5, tokens = 4, channels = 16;
  const torch::Tensor mask =
      (torch::arange(channels).view({1, 1, channels}) < torch::tensor(active).view({batch, 1, 1})).to(torch::kFloat);
  const torch::Tensor x = (torch::randn({batch, tokens, channels}) * 3 + 1) * mask;
  const torch::Tensor weight = torch::randn({channels}), bias = torch::randn({channels});
  const torch::Tensor upstream = torch::randn({batch, tokens, channels});

  const torch::Tensor mx = x.clone().requires_grad_(), mw = weight.clone().requires_grad_(),
                      mb = bias.clone().requires_grad_();
  const torch::Tensor masked = masked_layer_norm(mx, mw, mb, mask, 1e-6);
  (masked * upstream).sum().backward();

  const torch::Tensor rw = weight.clone().requires_grad_(), rb = bias.clone().requires_grad_();
  std::vector<torch::Tensor> xs;
  torch::Tensor loss = torch::zeros({});
  for (std::int64_t i = 0; i < batch; ++i) {
    const std::int64_t k = active[static_cast<std::size_t>(i)];
    xs.push_back(x[i].slice(-1, 0, k).clone().requires_grad_());
    const torch::Tensor reference = torch::layer_norm(xs.back(), {k}, rw.slice(0, 0, k), rb.slice(0, 0, k), 1e-6);
    EXPECT_LE(testing::max_difference(masked[i].slice(-1, 0, k), reference), 1e-5) << "example " << i;
    if (k < channels) {
      EXPECT_EQ(masked[i].slice(-1, k).abs().max().item<float>(), 0.0f) << "masked channels stay zero";
    }
    loss = loss + (reference * upstream[i].slice(-1, 0, k)).sum();
  }
  loss.backward();
  for (std::int64_t i = 0; i < batch; ++i) {
    const std::int64_t k = active[static_cast<std::size_t>(i)];
    EXPECT_LE(testing::max_difference(mx.grad()[i].slice(-1, 0, k), xs[static_cast<std::size_t>(i)].grad()), 1e-4)
        << "example " << i;
  }
  EXPECT_LE(testing::max_difference(mw.grad(), rw.grad()), 1e-4);
  EXPECT_LE(testing::max_difference(mb.grad(), rb.grad()), 1e-4);
  // Without a mask it is plain LayerNorm.
  EXPECT_LE(testing::max_difference(masked_layer_norm(x, weight, bias, {}, 1e-6),
                                    torch::layer_norm(x, {channels}, weight, bias, 1e-6)),
            1e-6);
}

// |qkv rows| + |qkv bias| + |proj columns| per head, of one block of the supernet.
torch::Tensor head_importance(const VitResnasSupernet& supernet, const std::string& block, std::int64_t heads) {
  const auto parameters = supernet.named_parameters();
  const torch::Tensor qkv = parameters["network." + block + ".qkv.weight"];
  const torch::Tensor bias = parameters["network." + block + ".qkv.bias"];
  const torch::Tensor proj = parameters["network." + block + ".proj.weight"];
  const std::int64_t dim = qkv.size(0) / 3 / heads;
  return qkv.abs().view({3, heads, dim, -1}).sum(torch::IntArrayRef{0, 2, 3}) +
         bias.abs().view({3, heads, dim}).sum(torch::IntArrayRef{0, 2}) +
         proj.abs().view({proj.size(0), heads, dim}).sum(torch::IntArrayRef{0, 2});
}

bool descending(const torch::Tensor& values) {
  return (values.slice(0, 1) <= values.slice(0, 0, -1)).all().item<bool>();
}

TEST(VitResnasSupernet, RewiringKeepsTheLargestNetworksOutput) {
  auto space = make_space();
  auto supernet = make_supernet(*space, 13);
  supernet->eval();
  testing::RecordingPolicy largest_policy;
  const Architecture largest = space->sample(largest_policy);
  const torch::Tensor batch = torch::randn({4, 1, 28, 28});
  torch::NoGradGuard no_grad;
  const torch::Tensor before = supernet->forward(batch, {largest});
  const torch::Tensor fc1_before = supernet->named_parameters()["network.stage2_block1.fc1.weight"].clone();

  supernet->begin_epoch(3, 2, true);   // past warm-up: nothing moves
  supernet->begin_epoch(0, 2, false);  // rewiring off: nothing moves
  EXPECT_TRUE(torch::equal(supernet->named_parameters()["network.stage2_block1.fc1.weight"], fc1_before));
  EXPECT_FALSE(descending(head_importance(*supernet, "stage3_block1", 8)));

  supernet->begin_epoch(2, 2, true);
  EXPECT_FALSE(torch::equal(supernet->named_parameters()["network.stage2_block1.fc1.weight"], fc1_before));
  for (const char* block : {"stage1_block1", "stage1_block2", "stage3_block1"})
    EXPECT_TRUE(descending(head_importance(*supernet, block, block[5] == '1' ? 4 : 8))) << block;
  const auto parameters = supernet->named_parameters();
  const torch::Tensor unit_importance = parameters["network.stage2_block2.fc1.weight"].abs().sum(1) +
                                        parameters["network.stage2_block2.fc1.bias"].abs() +
                                        parameters["network.stage2_block2.fc2.weight"].abs().sum(0);
  EXPECT_TRUE(descending(unit_importance));

  const double change = testing::max_difference(supernet->forward(batch, {largest}), before);
  std::printf("[ vit_resnas ] largest network before vs after rewiring, max |diff|: %.3g\n", change);
  EXPECT_LE(change, kTolerance);

  // The rewired supernet still hands each group the network it computes.
  Rng rng(9);
  for (int round = 0; round < 2; ++round) {
    const std::vector<Architecture> groups = supernet->sample_groups(4, 10, 2, rng);
    for (bool training : {true, false}) {
      supernet->train(training);
      EXPECT_LE(group_difference(*supernet, groups, torch::randn({8, 1, 28, 28})), kTolerance);
    }
  }
}

TEST(VitResnasSupernet, SampleGroupsFollowsTheOfficialBanksAndWarmUp) {
  auto space = make_space();
  auto supernet = make_supernet(*space, 14);
  Rng rng(1);
  testing::RecordingPolicy largest_policy;
  const Architecture largest = space->sample(largest_policy);
  // Epoch 0 of a warm-up enables only the first entry of every bank: the largest network, all kept.
  for (const Architecture& arch : supernet->sample_groups(6, 0, 4, rng)) EXPECT_EQ(arch.hash(), largest.hash());
  // All enabled: 40 groups draw the whole {keep, keep, skip, skip} bank ten times over.
  const std::vector<Architecture> groups = supernet->sample_groups(40, 5, 4, rng);
  std::map<std::string, int> kept;
  std::map<std::string, std::set<std::string>> labels;
  for (const Architecture& arch : groups)
    for (const Choice& choice : arch.choices()) {
      labels[choice.key].insert(choice.label);
      if (choice.label == "keep") ++kept[choice.key];
    }
  for (const char* key : {"stage1/block2/keep", "stage2/block2/keep", "stage3/block2/keep"}) EXPECT_EQ(kept[key], 20);
  for (const auto& [key, seen] : labels) EXPECT_GE(seen.size(), 2u) << key;
}

TEST(VitResnasSupernet, TrainsGroupsWithDropPath) {
  auto space = make_space("  drop_path: 0.2\n");
  auto supernet = make_supernet(*space, 15);
  supernet->train();
  Rng rng(2);
  const torch::Tensor logits = supernet->forward(torch::randn({8, 1, 28, 28}), supernet->sample_groups(4, 10, 2, rng));
  EXPECT_EQ(logits.sizes(), (std::vector<std::int64_t>{8, 10}));
  torch::nn::functional::cross_entropy(logits, torch::randint(10, {8}, torch::kLong)).backward();
  const auto parameters = supernet->named_parameters();
  EXPECT_TRUE(parameters["network.stem.conv1.weight"].grad().defined());
  EXPECT_GT(parameters["network.stage3_block1.qkv.weight"].grad().abs().sum().item<double>(), 0.0);
}

}  // namespace
}  // namespace nas
