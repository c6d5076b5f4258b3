// The retrain phase's record: what it checkpoints reads back the same, a hand-edited entry is left out
// rather than trusted, and export, inspect and the report agree on the best training and the tau.
#include <gtest/gtest.h>

#include "experiments/log/retrain_record.hpp"

namespace nas {
namespace {

RetrainedTrial trained(std::int64_t id, double inherited, double standalone) {
  RetrainedTrial trial;
  trial.trial_id = id;
  trial.seed = 100 + static_cast<std::uint64_t>(id);
  trial.inherited_val_accuracy = inherited;
  trial.epochs = 3;
  trial.done = true;
  trial.val_accuracy = standalone;
  trial.val_loss = 0.5;
  trial.params = 1234;
  trial.train_seconds = 2.5;
  return trial;
}

RetrainedTrial failed(std::int64_t id, double inherited) {
  RetrainedTrial trial;
  trial.trial_id = id;
  trial.inherited_val_accuracy = inherited;
  trial.error = "loss became nan at step 3 of 40";
  return trial;
}

TEST(RetrainRecord, WhatThePhaseCheckpointsReadsBackTheSame) {
  RetrainedTrials written;
  written.trials = {trained(4, 0.86, 0.88), failed(9, 0.85), trained(2, 0.84, 0.87)};
  const RetrainedTrials read = retrained_trials_from_state(written.state());
  ASSERT_EQ(read.trials.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(read.trials[i].to_json(), written.trials[i].to_json());
  EXPECT_EQ(read.trials[1].error, "loss became nan at step 3 of 40");
  EXPECT_FALSE(read.trials[1].done);
}

TEST(RetrainRecord, BestAndFindSkipFailedTrainingsAndTheTauFollowsFromTheEntries) {
  RetrainedTrials record;
  record.trials = {trained(4, 0.86, 0.87), failed(9, 0.85), trained(2, 0.84, 0.88), trained(7, 0.83, 0.86)};
  ASSERT_NE(record.best(), nullptr);
  EXPECT_EQ(record.best()->trial_id, 2);
  EXPECT_EQ(record.find(9), nullptr);
  ASSERT_NE(record.find(7), nullptr);
  // Pairs of the three done: (4,2) discordant, (4,7) concordant, (2,7) concordant: tau 1/3.
  ASSERT_TRUE(record.kendall_tau().has_value());
  EXPECT_NEAR(*record.kendall_tau(), 1.0 / 3.0, 1e-12);
  const std::string text = retrained_trials_text(record);
  EXPECT_NE(text.find("failed"), std::string::npos) << text;
  EXPECT_NE(text.find("Kendall tau (inherited vs stand-alone ranking): 0.333"), std::string::npos) << text;
}

TEST(RetrainRecord, EntriesOfAnotherShapeAreLeftOut) {
  const Json state = Json::parse(R"({"retrained": [
      {"trial": 1, "inherited_val_accuracy": 0.8, "status": "done", "val_accuracy": 0.9},
      {"trial": "two", "inherited_val_accuracy": 0.8, "status": "done", "val_accuracy": 0.9},
      {"trial": 3, "status": "done", "val_accuracy": 0.9},
      {"trial": 4, "inherited_val_accuracy": 0.8, "status": "done"},
      [1, 2]]})");
  const RetrainedTrials read = retrained_trials_from_state(state);
  ASSERT_EQ(read.trials.size(), 1u);
  EXPECT_EQ(read.trials[0].trial_id, 1);
  EXPECT_TRUE(retrained_trials_from_state(Json("not an object")).trials.empty());
  EXPECT_EQ(retrained_trials_text(RetrainedTrials{}), "");
  EXPECT_FALSE(RetrainedTrials{}.kendall_tau().has_value());
}

}  // namespace
}  // namespace nas
