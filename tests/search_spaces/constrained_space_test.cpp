// A space restricted to a run's constraints proposes only architectures within them, whatever draws
// through it (sampling, mutation), and says which limit a refused one breaks.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/config_node.hpp"
#include "core/policy.hpp"
#include "search_spaces/constrained_space.hpp"

namespace nas {
namespace {

std::unique_ptr<SearchSpace> small_nb201() {
  const ConfigNode root = ConfigNode::parse("space: {name: nb201, channels: 4, cells_per_stage: 1}", "test.yaml");
  return make_search_space(root.section("space"));
}

const TaskShape kTask{1, 28, 28, 10};

// The median multiply-adds of random cells: a limit that refuses about half of them.
std::int64_t median_madds(const SearchSpace& space) {
  Rng rng(1);
  std::vector<std::int64_t> madds;
  for (int i = 0; i < 101; ++i) {
    RandomPolicy policy(rng);
    madds.push_back(space.describe(space.sample(policy), kTask).madds);
  }
  std::nth_element(madds.begin(), madds.begin() + 50, madds.end());
  return madds[50];
}

TEST(ConstrainedSpace, SamplesAndMutatesOnlyWithinTheLimits) {
  auto inner = small_nb201();
  Constraints limits;
  limits.madds_max = median_madds(*inner);
  const ConstrainedSpace space(std::move(inner), limits, kTask);
  Rng rng(7);
  for (int i = 0; i < 100; ++i) {
    RandomPolicy policy(rng);
    const Architecture arch = space.sample(policy);
    ASSERT_LE(space.describe(arch, kTask).madds, limits.madds_max);
    ASSERT_TRUE(space.admits(arch));
    const Architecture child = space.mutate(arch, rng);
    ASSERT_LE(space.describe(child, kTask).madds, limits.madds_max);
  }
}

TEST(ConstrainedSpace, NamesTheLimitARefusedArchitectureBreaks) {
  auto inner = small_nb201();
  const Architecture all_conv = inner->from_genotype(Json(
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"));
  Constraints limits;
  limits.madds_max = inner->describe(all_conv, kTask).madds - 1;
  const ConstrainedSpace space(std::move(inner), limits, kTask);
  EXPECT_FALSE(space.admits(all_conv));
  EXPECT_NE(space.violation(all_conv).find("over constraints.madds_max"), std::string::npos)
      << space.violation(all_conv);
}

TEST(ConstrainedSpace, EachLimitRefusesWhatBreaksItAndNamesIt) {
  auto inner = small_nb201();
  const Architecture all_conv = inner->from_genotype(Json(
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"));
  const Architecture all_skip = inner->from_genotype(Json(
      "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|"));
  const ModelSummary big = inner->describe(all_conv, kTask), small = inner->describe(all_skip, kTask);
  ASSERT_GT(big.madds, small.madds);
  ASSERT_GT(big.params, small.params);
  Constraints at_least;
  at_least.madds_min = small.madds + 1;
  EXPECT_NE(at_least.violation(small).find("under constraints.madds_min"), std::string::npos);
  EXPECT_EQ(at_least.violation(big), "");
  Constraints at_most;
  at_most.params_max = big.params - 1;
  EXPECT_NE(at_most.violation(big).find("parameters, over constraints.params_max"), std::string::npos);
  EXPECT_EQ(at_most.violation(small), "");
  // Sampling honours the lower limit too.
  const ConstrainedSpace space(std::move(inner), at_least, kTask);
  Rng rng(9);
  for (int i = 0; i < 30; ++i) {
    RandomPolicy policy(rng);
    EXPECT_GE(space.describe(space.sample(policy), kTask).madds, at_least.madds_min);
  }
}

TEST(ConstrainedSpace, LimitsNothingCanMeetGiveAClearError) {
  Constraints limits;
  limits.madds_max = 1;
  const ConstrainedSpace space(small_nb201(), limits, kTask);
  Rng rng(3);
  RandomPolicy policy(rng);
  try {
    space.sample(policy);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("constraints"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("widen"), std::string::npos) << e.what();
  }
}

TEST(ConstrainedSpace, ReadsItsSectionAndRefusesAMinimumOverTheMaximum) {
  const ConfigNode good = ConfigNode::parse("constraints: {madds_max: 5000000, params_max: 100000}", "t.yaml");
  const Constraints read = read_constraints(good.section("constraints"));
  EXPECT_EQ(read.madds_max, 5000000);
  EXPECT_EQ(read.params_max, 100000);
  const ConfigNode bad = ConfigNode::parse("constraints: {madds_max: 10, madds_min: 20}", "t.yaml");
  EXPECT_THROW(read_constraints(bad.section("constraints")), Error);
  const ConfigNode typo = ConfigNode::parse("constraints: {madds_maximum: 10}", "t.yaml");
  EXPECT_THROW(read_constraints(typo.section("constraints")), Error);
}

}  // namespace
}  // namespace nas
