// The rl controller through the Controller interface: configuration, spaces it drives, learning,
// and exact checkpoints with proposals outstanding; and its conservative explorer. (Its speed is measured by bench/, not here.)
#include <gtest/gtest.h>

#include <deque>
#include <set>

#include "controller_testing.hpp"
#include "rl_test_spaces.hpp"
#include "../support/toy_space.hpp"

namespace nas {
namespace {

using testing::kinded_toy_space;
using testing::ListedToySpace;
using testing::make_controller_from;
using testing::o2_fraction;
using testing::trial_result;

std::string error_of(const std::string& yaml, const SearchSpace& space) {
  try {
    make_controller_from(yaml, space);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// Two workers: the controller keeps two proposals out and results come back out of order, some
// failed. Returns the hashes proposed.
struct TwoWorkers {
  std::deque<Architecture> running;
  std::int64_t next_id = 0;

  std::vector<std::string> run(Controller& controller, int results) {
    std::vector<std::string> proposed;
    for (int r = 0; r < results; ++r) {
      while (running.size() < 2) {
        running.push_back(controller.propose());
        proposed.push_back(running.back().hash());
      }
      const std::size_t finished = next_id % 3 == 1 ? 1 : 0;
      const Architecture arch = running[finished];
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(finished));
      controller.observe(trial_result(next_id, arch, o2_fraction(arch), next_id % 7 == 5));
      ++next_id;
    }
    return proposed;
  }
};

TEST(RlController, RefusesASpaceWithoutDecisionKinds) {
  testing::ToySpace space;
  const std::string message = error_of("controller: {name: rl}", space);
  EXPECT_NE(message.find("test.yaml:1:20: controller.name"), std::string::npos) << message;
  EXPECT_NE(message.find("search space 'toy' declares none"), std::string::npos) << message;
}

TEST(RlController, BadOptionsNameTheKeyAndWhatIsAccepted) {
  const ListedToySpace space = kinded_toy_space(3, 3);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"temperature: 0", "controller.temperature: must be above 0"},
      {"lr: -0.1", "controller.lr: must be between 0 and 1, got -0.1"},
      {"lr: 1e300", "controller.lr: must be between 0 and 1, got 1e300"},
      {"hidden: 0", "controller.hidden: must be between 1 and 1024, got 0"},
      {"batch: 0", "controller.batch: must be between 1 and 100000, got 0"},
      {"baseline_decay: 1.5", "controller.baseline_decay: must be between 0 and 1, got 1.5"},
      {"entropy_weight: -1", "controller.entropy_weight: must be at least 0"},
      {"algorithm: ppp", "unknown algorithm 'ppp'; accepted: ppo, reinforce (did you mean 'ppo'?)"},
      {"reward: relative", "unknown reward 'relative'; accepted: accuracy, relative_to_top_k"},
      {"{algorithm: ppo, ppo_epochs: 0}", "controller.ppo_epochs: must be between 1 and 1000, got 0"},
      {"{algorithm: ppo, clip: 0}", "controller.clip: must be above 0"},
      {"clip: 0.2", "unknown key 'clip'"},  // PPO's key, with REINFORCE
      {"top_k: 3", "unknown key 'top_k'"},  // relative_to_top_k's key, with the accuracy reward
      {"{reward: relative_to_top_k, top_k: 0}", "controller.top_k: must be between 1 and 100000, got 0"},
      {"hiden: 50", "did you mean 'hidden'"},
  };
  for (const auto& [options, expected] : cases) {
    std::string yaml = "controller: {name: rl, " + options + "}";
    if (options.front() == '{') yaml = "controller: {name: rl, " + options.substr(1, options.size() - 2) + "}";
    const std::string message = error_of(yaml, space);
    EXPECT_NE(message.find(expected), std::string::npos) << yaml << "\n  gave: " << message;
  }
}

TEST(RlController, DecisionOfAnUndeclaredKindNamesTheDecision) {
  const ListedToySpace space("undeclared-kind", {DecisionKind{"op", {"o0", "o1"}}},
                             {testing::ToyDecision{"x/op", "edge", {"o0"}}});
  auto controller = make_controller_from("controller: {name: rl}", space);
  try {
    controller->propose();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("x/op: the rl controller needs each decision to have one of the space's "
                                         "decision kinds; this one has kind 'edge'"),
              std::string::npos)
        << e.what();
  }
}

TEST(RlController, DrivesTheNasnetSpace) {
  auto space = make_search_space(ConfigNode::parse("space: {name: nasnet}", "test.yaml").section("space"));
  auto controller =
      make_controller_from("controller: {name: rl, batch: 2, tanh_constant: 2.5, temperature: 5}", *space, 1);
  std::set<std::string> distinct;
  for (int i = 0; i < 6; ++i) {
    const Architecture arch = controller->propose();
    ASSERT_EQ(arch.choices().size(), 2u * 5u * 5u);
    const Architecture rebuilt = space->replay(arch.choices());  // every choice is valid where it was made
    EXPECT_EQ(rebuilt.hash(), arch.hash());
    EXPECT_EQ(space->from_genotype(arch.genotype()).hash(), arch.hash());
    distinct.insert(arch.hash());
    controller->observe(trial_result(i, arch, 0.1 * i));
  }
  EXPECT_EQ(distinct.size(), 6u);
}

TEST(RlController, SameSeedSameProposalsAndDifferentSeedsDiffer) {
  const ListedToySpace space = kinded_toy_space(6, 5);
  auto a = make_controller_from("controller: {name: rl}", space, 4);
  auto b = make_controller_from("controller: {name: rl}", space, 4);
  auto c = make_controller_from("controller: {name: rl}", space, 5);
  TwoWorkers a_workers, b_workers, c_workers;
  const auto from_a = a_workers.run(*a, 30);
  EXPECT_EQ(from_a, b_workers.run(*b, 30));
  EXPECT_NE(from_a, c_workers.run(*c, 30));
}

TEST(RlController, LearnsAToyObjective) {
  const ListedToySpace space = kinded_toy_space(6, 4);
  for (const std::string algorithm : {"reinforce", "ppo"}) {
    auto controller =
        make_controller_from("controller: {name: rl, lr: 0.005, batch: 4, algorithm: " + algorithm + "}", space, 2);
    double late = 0;
    for (int i = 0; i < 600; ++i) {
      const Architecture arch = controller->propose();
      if (i >= 500) late += o2_fraction(arch) / 100.0;
      controller->observe(trial_result(i, arch, o2_fraction(arch)));
    }
    EXPECT_GT(late, 0.6) << algorithm << ": a uniform policy scores 0.25";
  }
}

TEST(RlController, FailedTrialsGetTheFailedReward) {
  const ListedToySpace space = kinded_toy_space(3, 3);
  auto controller = make_controller_from("controller: {name: rl, failed_reward: -1, baseline_decay: 0.9}", space);
  const Architecture first = controller->propose();
  controller->observe(trial_result(0, first, 0.8, /*failed=*/true));
  EXPECT_EQ(controller->state().at("baseline").get<double>(), -1.0);  // the baseline starts at the first reward
  const Architecture second = controller->propose();
  controller->observe(trial_result(1, second, 0.5));
  EXPECT_NEAR(controller->state().at("baseline").get<double>(), 0.9 * -1.0 + 0.1 * 0.5, 1e-12);
}

// Checkpoints are taken with proposals outstanding and a batch part full; the restored controller
// (built with another seed) must then behave exactly as the original. The original also keeps the
// rollouts it sampled with, which the restored one must replay: the two paths must agree to the bit.
class RlRestore : public ::testing::TestWithParam<std::string> {};

TEST_P(RlRestore, RestoredStateContinuesExactly) {
  auto space = make_search_space(ConfigNode::parse("space: {name: nasnet, blocks: 3}", "test.yaml").section("space"));
  const std::string yaml = "controller: {name: rl, hidden: 24, " + GetParam() + "}";
  auto original = make_controller_from(yaml, *space, 3);
  TwoWorkers original_workers;
  original_workers.run(*original, 10);
  const Json checkpoint = Json::parse(original->state().dump());
  ASSERT_FALSE(checkpoint.at("outstanding").empty());
  if (GetParam().find("batch") != std::string::npos) {
    ASSERT_FALSE(checkpoint.at("pending").empty());
  }

  auto restored = make_controller_from(yaml, *space, 999);
  restored->restore(checkpoint);
  EXPECT_EQ(restored->state(), checkpoint);
  TwoWorkers restored_workers = original_workers;
  EXPECT_EQ(original_workers.run(*original, 25), restored_workers.run(*restored, 25));
  EXPECT_EQ(original->state().dump(), restored->state().dump());  // weights, Adam, baseline, everything
}

INSTANTIATE_TEST_SUITE_P(Algorithms, RlRestore,
                         ::testing::Values("lr: 0.01", "lr: 0.01, batch: 4, reward: relative_to_top_k, top_k: 3",
                                           "algorithm: ppo, batch: 3, ppo_epochs: 2, tanh_constant: 1.5"),
                         [](const auto& info) {
                           return std::string(info.index == 0   ? "Reinforce"
                                              : info.index == 1 ? "ReinforceBatchRelative"
                                                                : "Ppo");
                         });

TEST(RlController, RestoreRefusesAStateOfAnotherNetwork) {
  const ListedToySpace space = kinded_toy_space(3, 3);
  auto small = make_controller_from("controller: {name: rl, hidden: 8}", space);
  auto large = make_controller_from("controller: {name: rl, hidden: 16}", space);
  try {
    large->restore(small->state());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("controller.hidden or the space's decision kinds differ"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace nas

namespace nas {
namespace {

TEST(RlController, DrivesTheEinspaceGrammarThroughItsSymbols) {
  // The grammar's symbols are the decision kinds and the surviving productions the mask: no einspace
  // code in the controller. Every proposal is a valid tree the space rebuilds.
  const TaskShape task{1, 28, 28, 10};
  auto space = make_search_space(
      ConfigNode::parse("space: {name: einspace, max_params: 200000, max_operations: 200}", "test.yaml").section("space"),
      &task);
  auto controller = make_controller_from("controller: {name: rl, batch: 2}", *space, 1);
  std::set<std::string> distinct;
  for (int i = 0; i < 8; ++i) {
    const Architecture arch = controller->propose();
    EXPECT_EQ(space->replay(arch.choices()).hash(), arch.hash());
    EXPECT_EQ(space->from_genotype(arch.genotype()).hash(), arch.hash());
    distinct.insert(arch.hash());
    controller->observe(testing::trial_result(i, arch, 0.1 * i));
  }
  EXPECT_GT(distinct.size(), 4u);
}

TEST(RegularizedEvolution, SeedsThePopulationWithNamedArchitecturesThenMutatesThem) {
  auto space = make_search_space(ConfigNode::parse("space: {name: nasnet}", "test.yaml").section("space"));
  auto controller =
      make_controller_from("controller: {name: evolution, population: 4, tournament: 2, seeds: [nasnet-a]}", *space, 1);
  const Architecture seed = space->named("nasnet-a");
  for (int i = 0; i < 4; ++i) {
    const Architecture arch = controller->propose();
    EXPECT_EQ(arch.hash(), seed.hash()) << "proposal " << i;
    controller->observe(testing::trial_result(i, arch, 0.5));
  }
  for (int i = 4; i < 8; ++i) {
    const Architecture child = controller->propose();
    // A mutation re-draws one decision (in NASNet the decisions after it may follow): a child of the
    // seed, where a random architecture differs in about 40 of the 50 decisions.
    const int apart = testing::decisions_apart(seed, child);
    EXPECT_GE(apart, 1) << child.short_form();
    EXPECT_LE(apart, 5) << child.short_form();
    controller->observe(testing::trial_result(i, child, 0.4));  // worse: the seed stays the parent
  }
  try {
    make_controller_from("controller: {name: evolution, seeds: [nasnet-b]}", *space, 1);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("controller.seeds"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("nasnet-a"), std::string::npos) << e.what();
  }
}

using testing::masked_toy_space;

// The decision kinds in which two architectures of a space differ.
// (The toy space's keys are "<block>/<kind>".)
std::set<std::string> differing_kinds(const Architecture& a, const Architecture& b) {
  std::set<std::string> kinds;
  for (std::size_t i = 0; i < a.choices().size(); ++i)
    if (a.choices()[i].label != b.choices()[i].label) kinds.insert(a.choices()[i].key.substr(2));
  return kinds;
}

TEST(ConservativeExplorer, ChildrenDifferFromTheBestInOneKindAndABetterChildReplacesIt) {
  const ListedToySpace space = masked_toy_space();
  auto controller = make_controller_from("controller: {name: conservative, hidden: 16}", space, 7);
  const Architecture first = controller->propose();
  controller->observe(trial_result(0, first, 0.5));
  Architecture best = first;
  int changed = 0;
  for (int i = 1; i < 40; ++i) {
    const Architecture child = controller->propose();
    const std::set<std::string> kinds = differing_kinds(best, child);
    EXPECT_LE(kinds.size(), 1u) << child.short_form() << " against " << best.short_form();
    changed += kinds.size() == 1;
    // Every third child beats the best and must become the parent of the next.
    const bool better = i % 3 == 0;
    controller->observe(trial_result(i, child, better ? 0.5 + 0.01 * i : 0.1));
    if (better) best = child;
  }
  EXPECT_GT(changed, 30) << "a child equal to its parent should be rare";
  EXPECT_EQ(controller->state().at("best").at("hash"), best.hash());
}

TEST(ConservativeExplorer, RestoredStateContinuesExactly) {
  auto space = make_search_space(ConfigNode::parse("space: {name: nasnet, blocks: 2}", "test.yaml").section("space"));
  const std::string yaml = "controller: {name: conservative, hidden: 24, lr: 0.01, class_choice: max_entropy}";
  auto original = make_controller_from(yaml, *space, 3);
  TwoWorkers original_workers;
  original_workers.run(*original, 10);
  const Json checkpoint = Json::parse(original->state().dump());
  ASSERT_FALSE(checkpoint.at("best").is_null());
  auto restored = make_controller_from(yaml, *space, 999);
  restored->restore(checkpoint);
  TwoWorkers restored_workers = original_workers;
  EXPECT_EQ(original_workers.run(*original, 20), restored_workers.run(*restored, 20));
  EXPECT_EQ(original->state().dump(), restored->state().dump());
}

TEST(ConservativeExplorer, StartsFromItsSeedThenTriesNewChildrenChangingOneKindOfIt) {
  auto space = make_search_space(ConfigNode::parse("space: {name: autognn}", "test.yaml").section("space"));
  auto controller = make_controller_from("controller: {name: conservative, hidden: 16, seeds: [gat]}", *space, 5);
  const Architecture gat = space->named("gat");
  ASSERT_EQ(controller->seeds().size(), 1u);
  EXPECT_EQ(controller->seeds()[0].name, "gat");
  const Architecture first = controller->propose();
  EXPECT_EQ(first.hash(), gat.hash());
  controller->observe(trial_result(0, first, 0.8));
  std::set<std::string> proposed{first.hash()};
  for (int i = 1; i < 40; ++i) {
    const Architecture child = controller->propose();
    EXPECT_TRUE(proposed.insert(child.hash()).second) << "proposed twice: " << child.short_form();
    std::set<std::string> kinds;  // keys are "layer<i>/<kind>"
    for (std::size_t d = 0; d < child.choices().size(); ++d)
      if (child.choices()[d].label != gat.choices()[d].label) {
        const std::string& key = child.choices()[d].key;
        kinds.insert(key.substr(key.find('/') + 1));
      }
    EXPECT_LE(kinds.size(), 1u) << child.short_form();
    controller->observe(trial_result(i, child, 0.5));  // worse: the seed stays the parent
  }
  EXPECT_EQ(controller->state().at("best").at("hash"), gat.hash());
  EXPECT_EQ(controller->state().at("seeds_proposed"), 1);
}

}  // namespace
}  // namespace nas
