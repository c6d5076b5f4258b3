// Auto-GNN's shared layers as a run's shared weights: the run keeps the better-scoring layer per key,
// a snapshot given to a trial never changes under it, and what the log stores restores every bit.
#include <gtest/gtest.h>

#include "core/config_node.hpp"
#include "evaluators/builtin/shared_layers.hpp"
#include "ops/graph/graph_network.hpp"
#include "search_spaces/search_space.hpp"
#include "tests/support/scratch.hpp"

namespace nas {
namespace {

const TaskShape kTask{20, 1, 1, 3};

struct Built {
  std::shared_ptr<Network> owner;
  GraphNetwork* net;
};

Built gat(std::uint64_t seed) {
  const ConfigNode root = ConfigNode::parse("space: {name: autognn}", "test.yaml");
  const auto space = make_search_space(root.section("space"));
  torch::manual_seed(seed);
  Built built;
  built.owner = space->build(space->named("gat"), kTask);
  built.net = &dynamic_cast<GraphNetwork&>(*built.owner);
  return built;
}

std::vector<torch::Tensor> first_layer(GraphNetwork& net) { return net.shareable_layers().at(0).second->parameters(); }

bool same_bits(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!torch::equal(a[i], b[i])) return false;
  return true;
}

TEST(SharedLayers, KeepsEachKeysBestScoringLayerAndTiesKeepTheEarlier) {
  SharedLayers shared;
  Built a = gat(1), b = gat(2), c = gat(3);
  EXPECT_EQ(shared.absorb(offer_shared_layers(*a.net, 0.70)).size(), 2u) << "both layers of the first offer";
  EXPECT_EQ(shared.absorb(offer_shared_layers(*b.net, 0.65)).size(), 0u) << "a lower score changes nothing";
  EXPECT_EQ(shared.absorb(offer_shared_layers(*c.net, 0.70)).size(), 0u) << "a tie keeps the stored layer";

  Built child = gat(9);
  EXPECT_EQ(inherit_shared_layers(*shared.view(), *child.net), 2);
  EXPECT_TRUE(same_bits(first_layer(*child.net), first_layer(*a.net)));

  EXPECT_EQ(shared.absorb(offer_shared_layers(*b.net, 0.75)).size(), 2u);
  Built later = gat(10);
  inherit_shared_layers(*shared.view(), *later.net);
  EXPECT_TRUE(same_bits(first_layer(*later.net), first_layer(*b.net)));
}

TEST(SharedLayers, ASnapshotDoesNotChangeWhenTheRunAbsorbsLaterOffers) {
  SharedLayers shared;
  Built a = gat(1), b = gat(2);
  shared.absorb(offer_shared_layers(*a.net, 0.5));
  const std::shared_ptr<const SharedWeightsView> before = shared.view();
  shared.absorb(offer_shared_layers(*b.net, 0.9));
  Built child = gat(7);
  inherit_shared_layers(*before, *child.net);
  EXPECT_TRUE(same_bits(first_layer(*child.net), first_layer(*a.net)));
}

TEST(SharedLayers, TheStoredRecordsRestoreTheSameWeightsBitForBit) {
  SharedLayers shared;
  Built a = gat(1), b = gat(2);
  std::map<std::string, std::string> log;  // what the run's checkpoints wrote, by key
  for (const StateRecord& record : shared.absorb(offer_shared_layers(*a.net, 0.6))) log[record.key] = record.bytes;
  for (const StateRecord& record : shared.absorb(offer_shared_layers(*b.net, 0.8))) log[record.key] = record.bytes;
  std::vector<StateRecord> records;
  for (const auto& [key, bytes] : log) records.push_back({key, bytes});

  SharedLayers restored;
  restored.restore(records);
  Built from_original = gat(5), from_restored = gat(5);
  inherit_shared_layers(*shared.view(), *from_original.net);
  inherit_shared_layers(*restored.view(), *from_restored.net);
  for (std::size_t layer = 0; layer < 2; ++layer)
    EXPECT_TRUE(same_bits(from_original.net->shareable_layers()[layer].second->parameters(),
                          from_restored.net->shareable_layers()[layer].second->parameters()));
  // A later offer compares against the restored scores: 0.7 beats 0.6 nowhere, since 0.8 is stored.
  EXPECT_TRUE(restored.absorb(offer_shared_layers(*a.net, 0.7)).empty());
}

TEST(SharedLayers, AnUnreadableRecordIsNamed) {
  SharedLayers shared;
  const std::string error = testing::error_of([&] { shared.restore({{"layer0/gat", "not a pickle"}}); });
  EXPECT_NE(error.find("autognn_layers record 'layer0/gat'"), std::string::npos) << error;
}

}  // namespace
}  // namespace nas
