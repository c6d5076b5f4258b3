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
