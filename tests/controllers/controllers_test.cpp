#include <gtest/gtest.h>

#include <set>

#include "../support/toy_space.hpp"
#include "controller_testing.hpp"

namespace nas {
namespace {

using testing::decisions_apart;
using testing::make_controller_from;
using testing::o2_fraction;
using testing::ToySpace;
using testing::trial_result;

TEST(RandomSearch, SameSeedSameProposalsAndDifferentSeedsDiffer) {
  ToySpace space(8, 4);
  auto a = make_controller_from("controller: {name: random}", space, 7);
  auto b = make_controller_from("controller: {name: random}", space, 7);
  auto c = make_controller_from("controller: {name: random}", space, 8);
  std::set<std::string> seen;
  bool any_difference = false;
  for (int i = 0; i < 20; ++i) {
    const auto arch = a->propose();
    EXPECT_EQ(arch.hash(), b->propose().hash());
    any_difference = any_difference || arch.hash() != c->propose().hash();
    seen.insert(arch.hash());
  }
  EXPECT_TRUE(any_difference);
  EXPECT_GT(seen.size(), 15u);
}

TEST(RegularizedEvolution, SeedsPopulationAtRandomThenMutatesTournamentWinners) {
  ToySpace space(6, 3);
  auto controller = make_controller_from("controller: {name: evolution, population: 8, tournament: 8}", space);
  std::vector<Architecture> population;
  for (int i = 0; i < 8; ++i) {
    population.push_back(controller->propose());
    controller->observe(trial_result(i, population.back(), o2_fraction(population.back())));
  }
  // With the tournament as large as the population, every child mutates the best living member.
  for (int i = 8; i < 40; ++i) {
    const Architecture* best = &population.front();
    for (const auto& member : population)
      if (o2_fraction(member) > o2_fraction(*best)) best = &member;
    const Architecture child = controller->propose();
    bool one_mutation_of_a_best = false;
    for (const auto& member : population)
      one_mutation_of_a_best = one_mutation_of_a_best ||
                               (o2_fraction(member) == o2_fraction(*best) && decisions_apart(member, child) == 1);
    EXPECT_TRUE(one_mutation_of_a_best) << "child " << child.short_form();
    controller->observe(trial_result(i, child, o2_fraction(child)));
    population.push_back(child);
    population.erase(population.begin());  // aging: the oldest dies
  }
  // Selection pressure climbs the toy objective.
  double best = 0;
  for (const auto& member : population) best = std::max(best, o2_fraction(member));
  EXPECT_GE(best, 5.0 / 6.0);
}

TEST(RegularizedEvolution, FailedTrialsAreNeverChosenAsParents) {
  ToySpace space(5, 3);
  auto controller = make_controller_from("controller: {name: evolution, population: 4, tournament: 4}", space);
  std::vector<Architecture> seeds;
  for (int i = 0; i < 4; ++i) seeds.push_back(controller->propose());
  for (int i = 0; i < 3; ++i) controller->observe(trial_result(i, seeds[i], 0.9, /*failed=*/true));
  controller->observe(trial_result(3, seeds[3], 0.1));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(decisions_apart(controller->propose(), seeds[3]), 1);
}

TEST(RegularizedEvolution, RestoredStateContinuesExactly) {
  ToySpace space(6, 3);
  const std::string yaml = "controller: {name: evolution, population: 5, tournament: 2}";
  auto original = make_controller_from(yaml, space, 3);
  for (int i = 0; i < 12; ++i) {
    const auto arch = original->propose();
    original->observe(trial_result(i, arch, o2_fraction(arch)));
  }
  auto restored = make_controller_from(yaml, space, 999);
  restored->restore(Json::parse(original->state().dump()));
  for (int i = 12; i < 30; ++i) {
    const auto a = original->propose();
    const auto b = restored->propose();
    ASSERT_EQ(a.hash(), b.hash()) << "proposal " << i;
    original->observe(trial_result(i, a, o2_fraction(a)));
    restored->observe(trial_result(i, b, o2_fraction(b)));
  }
}

TEST(RandomSearch, RestoredStateContinuesExactly) {
  ToySpace space(6, 3);
  auto original = make_controller_from("controller: {name: random}", space, 3);
  for (int i = 0; i < 5; ++i) original->propose();
  auto restored = make_controller_from("controller: {name: random}", space, 0);
  restored->restore(original->state());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(original->propose().hash(), restored->propose().hash());
}

TEST(ControllerConfig, TournamentLargerThanPopulationNamesTheKeyAndLine) {
  ToySpace space;
  try {
    make_controller_from("seed: 0\ncontroller:\n  name: evolution\n  population: 4\n  tournament: 9\n", space);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("test.yaml:5:15: controller.tournament"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("must not exceed controller.population (4)"), std::string::npos) << e.what();
  }
}

TEST(ControllerConfig, UnknownControllerSuggestsTheClosestName) {
  ToySpace space;
  try {
    make_controller_from("controller: {name: evolutoin}", space);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown controller 'evolutoin'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("did you mean 'evolution'"), std::string::npos) << e.what();
  }
}

TEST(ControllerConfig, UnknownKeyIsReported) {
  ToySpace space;
  try {
    make_controller_from("controller: {name: evolution, populaton: 8}", space);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown key 'populaton'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("did you mean 'population'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nas
