// The conservative explorer's best architecture, with and without confirmations: what replaces the
// best, when a child is trained again, and a checkpoint that continues exactly.
#include <gtest/gtest.h>

#include "controllers/rl/conservative_climb.hpp"
#include "controller_testing.hpp"
#include "rl_test_spaces.hpp"

namespace nas {
namespace {

using rl::ClimbArchitecture;
using rl::ConservativeClimb;

ClimbArchitecture named(const std::string& hash) { return ClimbArchitecture{{Choice{"layer0/units", 1, hash}}, hash}; }

// Observes a training of `hash` that the climb asked for, as the run delivers it.
void confirm(ConservativeClimb& climb, const std::string& hash, double val_accuracy, bool done = true) {
  const auto confirmation = climb.take_confirmation();
  ASSERT_TRUE(confirmation.has_value()) << "no confirmation due for " << hash;
  ASSERT_EQ(confirmation->hash, hash);
  EXPECT_TRUE(climb.confirming(hash));
  climb.observe(*confirmation, done, true, val_accuracy);
  EXPECT_FALSE(climb.confirming(hash));
}

TEST(ConservativeClimb, WithoutConfirmationsOneHigherTrainingReplacesTheBestAsInAutoGnn) {
  ConservativeClimb climb(0);
  EXPECT_EQ(climb.best(), nullptr);
  climb.observe(named("a"), true, true, 0.80);
  ASSERT_NE(climb.best(), nullptr);
  climb.observe(named("b"), true, true, 0.834);
  EXPECT_EQ(climb.best()->hash, "b");
  EXPECT_DOUBLE_EQ(climb.best_score(), 0.834);
  climb.observe(named("c"), true, true, 0.834);  // equal is not better
  climb.observe(named("d"), false, true, 0.0);   // failed
  EXPECT_EQ(climb.best()->hash, "b");
  EXPECT_FALSE(climb.take_confirmation().has_value());
}

TEST(ConservativeClimb, ALuckyTrainingThatDoesNotRepeatLeavesTheBestInPlace) {
  ConservativeClimb climb(1);
  climb.observe(named("gat"), true, true, 0.80);
  EXPECT_EQ(climb.best(), nullptr) << "even the first architecture is confirmed before it is the best";
  confirm(climb, "gat", 0.81);
  ASSERT_NE(climb.best(), nullptr);
  EXPECT_DOUBLE_EQ(climb.best_score(), 0.805);

  // The seed-3 case: 0.834 once, 0.78 again; its mean 0.807 still beats 0.805, so it takes over...
  climb.observe(named("lucky"), true, true, 0.834);
  EXPECT_EQ(climb.best()->hash, "gat") << "not before its second training";
  confirm(climb, "lucky", 0.78);
  EXPECT_EQ(climb.best()->hash, "lucky");
  EXPECT_DOUBLE_EQ(climb.best_score(), 0.807);
  // ...but at 0.807, not 0.834: a child validating 0.82 twice replaces it.
  climb.observe(named("steady"), true, true, 0.82);
  confirm(climb, "steady", 0.82);
  EXPECT_EQ(climb.best()->hash, "steady");
  // One that repeats lower stays out, and is not confirmed again when the run reuses its result.
  climb.observe(named("fluke"), true, true, 0.83);
  confirm(climb, "fluke", 0.79);
  EXPECT_EQ(climb.best()->hash, "steady");
  climb.observe(named("fluke"), true, false, 0.83);
  EXPECT_FALSE(climb.take_confirmation().has_value());
  // A child below the best's mean is not confirmed at all.
  climb.observe(named("worse"), true, true, 0.815);
  EXPECT_FALSE(climb.take_confirmation().has_value());
}

TEST(ConservativeClimb, AFailedConfirmationCountsAsZeroAndAFailedChildIsNoCandidate) {
  ConservativeClimb climb(1);
  climb.observe(named("a"), true, true, 0.80);
  confirm(climb, "a", 0.80);
  climb.observe(named("b"), false, true, 0.0);
  EXPECT_FALSE(climb.take_confirmation().has_value());
  climb.observe(named("c"), true, true, 0.90);
  confirm(climb, "c", 0.0, false);
  EXPECT_EQ(climb.best()->hash, "a");
  climb.observe(named("c"), true, false, 0.90);  // its mean is 0.45 now
  EXPECT_FALSE(climb.take_confirmation().has_value());
}

TEST(ConservativeClimb, ConfirmationsAreQueuedOnceEvenWhenResultsArriveWhileTheyAreOut) {
  ConservativeClimb climb(2);
  climb.observe(named("a"), true, true, 0.80);
  ASSERT_EQ(climb.take_confirmation()->hash, "a");
  climb.observe(named("a"), true, false, 0.80);  // a reused result while the confirmation trains
  ASSERT_EQ(climb.take_confirmation()->hash, "a") << "two confirmations in all";
  EXPECT_FALSE(climb.take_confirmation().has_value());
  climb.observe(named("a"), true, true, 0.82);
  EXPECT_EQ(climb.best(), nullptr);
  climb.observe(named("a"), true, true, 0.78);
  ASSERT_NE(climb.best(), nullptr);
  EXPECT_NEAR(climb.best_score(), 0.80, 1e-12);
}

TEST(ConservativeClimb, AChildOvertakenWhileItsConfirmationWaitedIsNotTrainedAgain) {
  ConservativeClimb climb(1);
  climb.observe(named("a"), true, true, 0.80);
  confirm(climb, "a", 0.80);
  climb.observe(named("b"), true, true, 0.83);
  climb.observe(named("c"), true, true, 0.82);
  climb.observe(named("d"), true, true, 0.86);
  confirm(climb, "b", 0.85);  // b's mean 0.84 replaces a
  ASSERT_EQ(climb.best()->hash, "b");
  // c (0.82) can no longer beat 0.84 and leaves the queue, so no checkpoint holds it; d (0.86) still can.
  EXPECT_EQ(climb.state().at("due").size(), 1u);
  ASSERT_EQ(climb.take_confirmation()->hash, "d");
  EXPECT_FALSE(climb.confirming("c"));
  EXPECT_FALSE(climb.take_confirmation().has_value());
}

TEST(ConservativeClimb, ItsStateRestoresExactlyAndAStateWithoutConfirmationsStillReads) {
  ConservativeClimb climb(1);
  climb.observe(named("a"), true, true, 0.80);
  confirm(climb, "a", 0.81);
  climb.observe(named("b"), true, true, 0.83);
  climb.observe(named("c"), true, true, 0.84);
  ASSERT_EQ(climb.take_confirmation()->hash, "b");  // out with a worker; c still due

  ConservativeClimb restored(1);
  restored.restore(Json::parse(climb.best_state().dump()), Json::parse(climb.state().dump()));
  EXPECT_EQ(restored.best_state(), climb.best_state());
  EXPECT_EQ(restored.state(), climb.state());
  EXPECT_TRUE(restored.confirming("b"));
  for (ConservativeClimb* each : {&climb, &restored}) {
    each->observe(named("b"), true, true, 0.82);
    EXPECT_EQ(each->best()->hash, "b");
    EXPECT_EQ(each->take_confirmation()->hash, "c");
  }

  // A checkpoint written before confirmations existed: the best and its single training.
  ConservativeClimb old(0);
  old.restore(Json::parse(R"({"choices": [["layer0/units", "x"]], "hash": "x", "val_accuracy": 0.83})"), nullptr);
  ASSERT_NE(old.best(), nullptr);
  EXPECT_EQ(old.best()->hash, "x");
  old.observe(named("y"), true, true, 0.83);
  EXPECT_EQ(old.best()->hash, "x");
}

TEST(ConservativeExplorer, ProposesAChildThatBeatsTheBestAgainAndAsksTheRunToTrainIt) {
  const auto space = testing::masked_toy_space();
  auto controller = testing::make_controller_from("controller: {name: conservative, hidden: 16, confirmations: 1}", space, 7);
  const Architecture first = controller->propose();
  controller->observe(testing::trial_result(0, first, 0.5));
  const Architecture again = controller->propose();
  EXPECT_EQ(again.hash(), first.hash()) << "the first result is confirmed before the climb starts";
  EXPECT_TRUE(controller->trains_again(again));
  controller->observe(testing::trial_result(1, again, 0.5));
  EXPECT_FALSE(controller->trains_again(again));
  const Architecture child = controller->propose();
  EXPECT_NE(child.hash(), first.hash());
  EXPECT_FALSE(controller->trains_again(child));
  controller->observe(testing::trial_result(2, child, 0.9));
  const Architecture confirmation = controller->propose();
  EXPECT_EQ(confirmation.hash(), child.hash());
  EXPECT_TRUE(controller->trains_again(confirmation));
  controller->observe(testing::trial_result(3, confirmation, 0.3));  // mean 0.6 beats 0.5
  EXPECT_EQ(controller->state().at("best").at("hash"), child.hash());
  EXPECT_DOUBLE_EQ(controller->state().at("best").at("val_accuracy").get<double>(), 0.6);

  auto plain = testing::make_controller_from("controller: {name: conservative, hidden: 16}", space, 7);
  const Architecture plain_first = plain->propose();
  plain->observe(testing::trial_result(0, plain_first, 0.5));
  EXPECT_NE(plain->propose().hash(), plain_first.hash()) << "Auto-GNN's rule: no confirmation";
  EXPECT_FALSE(plain->trains_again(plain_first));
}

}  // namespace
}  // namespace nas
