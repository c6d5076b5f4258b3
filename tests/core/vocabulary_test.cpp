#include <gtest/gtest.h>

#include "core/architecture.hpp"
#include "core/error.hpp"
#include "core/policy.hpp"
#include "core/rng.hpp"
#include "core/suggest.hpp"

namespace nas {
namespace {

TEST(Rng, StateRoundTripContinuesTheSameSequence) {
  Rng a(42);
  for (int i = 0; i < 10; ++i) a.next();
  Rng b(0);
  b.restore(a.state());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next(), b.next());
}

TEST(Rng, WeightedDrawsFollowTheWeights) {
  Rng rng(1);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 30000; ++i) ++counts[rng.weighted({0.2, 0.0, 0.8})];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0] / 30000.0, 0.2, 0.02);
}

TEST(Rng, DerivedSeedsAreStableAndDistinct) {
  EXPECT_EQ(derive_seed(0, 0), derive_seed(0, 0));
  EXPECT_NE(derive_seed(0, 0), derive_seed(0, 1));
  EXPECT_NE(derive_seed(0, 1), derive_seed(1, 0));
}

TEST(Policy, ReplayFailsClearlyWhenTheRecordDoesNotFit) {
  ReplayPolicy replay({Choice{"a", 0, "x"}});
  const Decision other{"b", {"x", "y"}, {}, ""};
  EXPECT_THROW(replay.choose(other), Error);
  ReplayPolicy unknown_label({Choice{"a", 0, "z"}});
  EXPECT_THROW(unknown_label.choose(Decision{"a", {"x", "y"}, {}, ""}), Error);
}

TEST(Policy, MutationChangesExactlyTheChosenDecision) {
  Rng rng(3);
  const std::vector<Choice> recorded = {{"a", 0, "x"}, {"b", 1, "y"}, {"c", 0, "x"}};
  for (int trial = 0; trial < 20; ++trial) {
    MutationPolicy policy(recorded, 1, rng);
    EXPECT_EQ(policy.choose(Decision{"a", {"x", "y", "z"}, {}, ""}), 0u);
    EXPECT_NE(policy.choose(Decision{"b", {"x", "y", "z"}, {}, ""}), 1u);
    EXPECT_EQ(policy.choose(Decision{"c", {"x", "y", "z"}, {}, ""}), 0u);
    EXPECT_TRUE(policy.changed());
  }
}

TEST(Architecture, JsonKeepsChoicesAndHashFollowsCanonicalForm) {
  const Architecture a("toy", {{"a", 1, "y"}}, Json{{"short", "y"}}, "y");
  const Architecture b("toy", {{"a", 1, "y"}}, Json::object(), "y");
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_EQ(a.short_form(), "y");
  const auto choices = Architecture::choices_from_json(Json::parse(a.to_json().dump()));
  ASSERT_EQ(choices.size(), 1u);
  EXPECT_EQ(choices[0].key, "a");
  EXPECT_EQ(choices[0].label, "y");
  EXPECT_THROW(Architecture::choices_from_json(Json{{"choices", Json::array({1})}}), Error);
}

TEST(Suggest, ClosestWordOnlyForPlausibleTypos) {
  EXPECT_EQ(closest_word("evolutoin", {"random", "evolution"}), "evolution");
  EXPECT_EQ(closest_word("zzzzzz", {"random", "evolution"}), "");
}

}  // namespace
}  // namespace nas
