// Multi-architecture sampling draws each decision's options for the G groups of a step from a shuffled,
// balanced bank, with choice warm-up growing the enabled options from the largest (official
// ViT-ResNAS channel_drop.py).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/config_node.hpp"
#include "search_spaces/choice_banks.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {
namespace {

TEST(ChoiceBanks, WarmUpEnablesTheLargestOptionsFirst) {
  // n = 4, W = 30: 1 + floor(e * 3 / 30).
  EXPECT_EQ(enabled_bank_entries(4, 0, 30), 1u);
  EXPECT_EQ(enabled_bank_entries(4, 9, 30), 1u);
  EXPECT_EQ(enabled_bank_entries(4, 10, 30), 2u);
  EXPECT_EQ(enabled_bank_entries(4, 29, 30), 3u);
  EXPECT_EQ(enabled_bank_entries(4, 30, 30), 4u);
  EXPECT_EQ(enabled_bank_entries(4, 99, 30), 4u);
  EXPECT_EQ(enabled_bank_entries(5, 0, 0), 5u);  // no warm-up
}

TEST(ChoiceBanks, DrawsAreBalancedAcrossTheGroups) {
  Rng rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    const std::vector<std::size_t> draws = draw_from_bank({0, 1, 2}, 6, 0, 0, rng);
    std::map<std::size_t, int> counts;
    for (std::size_t d : draws) ++counts[d];
    EXPECT_EQ(counts, (std::map<std::size_t, int>{{0, 2}, {1, 2}, {2, 2}}));
  }
  // A repeated entry weighs its option: {keep, keep, skip, skip} keeps half the groups.
  const std::vector<std::size_t> skip = draw_from_bank({0, 0, 1, 1}, 4, 10, 0, rng);
  EXPECT_EQ(std::count(skip.begin(), skip.end(), std::size_t{1}), 2);
  // During warm-up only the enabled prefix is drawn.
  for (std::size_t d : draw_from_bank({0, 1, 2, 3}, 8, 0, 30, rng)) EXPECT_EQ(d, 0u);
}

TEST(ChoiceBanks, GroupArchitecturesCoverEveryOptionOfEachDecision) {
  const ConfigNode root = ConfigNode::parse("space: {name: nb201, channels: 4, cells_per_stage: 1}", "t.yaml");
  const auto space = make_search_space(root.section("space"));
  Rng rng(11);
  const std::vector<Architecture> groups = sample_group_architectures(*space, 5, 0, 0, rng);
  ASSERT_EQ(groups.size(), 5u);
  for (std::size_t d = 0; d < groups[0].choices().size(); ++d) {
    std::map<std::string, int> seen;
    for (const Architecture& arch : groups) ++seen[arch.choices()[d].label];
    EXPECT_EQ(seen.size(), 5u) << "decision " << groups[0].choices()[d].key;
  }
}

}  // namespace
}  // namespace nas
