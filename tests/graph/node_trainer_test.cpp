// The node-classification trainer: which epoch it keeps under each selection rule, GAT's early
// stopping, and the time limit, which stops a training that runs past it but never fails one whose
// last epoch is done.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/config_node.hpp"
#include "evaluators/datasets/graph_dataset.hpp"
#include "evaluators/evaluation/evaluator.hpp"
#include "evaluators/training/node_trainer.hpp"
#include "evaluators/training/seeded_build.hpp"
#include "ops/graph/graph_network.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {
namespace {

const std::string kCora = std::string(NAS_SHARED_DIR) + "/datasets/planetoid/cora";

// `evaluator_keys`: more keys of the evaluator section, as YAML flow entries ("selection: val_loss").
NodeTrainingResult train_tiny_gat(std::int64_t epochs, double limit_seconds, const std::string& evaluator_keys = "") {
  const ConfigNode root = ConfigNode::parse("dataset: {name: planetoid, path: " + kCora +
                                                "}\nspace: {name: autognn}\nevaluator: {trial_time_limit: " +
                                                std::to_string(limit_seconds) +
                                                (evaluator_keys.empty() ? "" : ", " + evaluator_keys) + "}\n",
                                            "test.yaml");
  static const auto data = load_graph_dataset(root.section("dataset"));
  const auto space = make_search_space(root.section("space"));
  const Architecture arch = space->from_genotype(Json("gat sum elu 1x4 | gat sum linear 1xC"));
  auto built = build_seeded(*space, arch, data->shape(), 1);
  const NodeTrainerOptions options = read_node_trainer_options(root.section("evaluator"));
  const TrialClock clock(options.trial_time_limit, options.trial_time_limit_key);
  return train_node_classifier(dynamic_cast<GraphNetwork&>(*built), *data, data->train, options, epochs, 1, clock);
}

TEST(NodeTrainer, ATrainingThatFinishesPastTheTimeLimitKeepsItsResult) {
  const NodeTrainingResult result = train_tiny_gat(1, 1e-6);
  EXPECT_EQ(result.best_epoch, 1);
  EXPECT_GT(result.val.accuracy, 0);
}

TEST(NodeTrainer, ATrainingPastTheTimeLimitStopsBeforeItsNextEpoch) {
  try {
    train_tiny_gat(3, 1e-6);
    FAIL() << "no TrialFailure";
  } catch (const TrialFailure& e) {
    EXPECT_NE(std::string(e.what()).find("after epoch 1 of 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("trial_time_limit"), std::string::npos) << e.what();
  }
}

TEST(NodeTrainer, KeepsTheEpochOfBestValidationAccuracyTiesGoingToTheLowerLoss) {
  const NodeTrainingResult result = train_tiny_gat(40, 0);
  ASSERT_EQ(result.val_by_epoch.size(), 40u);
  const NodeScores& kept = result.val_by_epoch[static_cast<std::size_t>(result.best_epoch - 1)];
  for (const NodeScores& epoch : result.val_by_epoch) {
    EXPECT_LE(epoch.accuracy, kept.accuracy);
    if (epoch.accuracy == kept.accuracy) {
      EXPECT_GE(epoch.loss, kept.loss);
    }
  }
  EXPECT_EQ(result.val.accuracy, kept.accuracy);
}

// GAT's rule: the last epoch that matched the best accuracy so far and the lowest loss so far at once.
TEST(NodeTrainer, GatSelectionKeepsTheLastEpochAtBothRecords) {
  const NodeTrainingResult result = train_tiny_gat(60, 0, "selection: val_accuracy_and_loss");
  double best_accuracy = -1, lowest_loss = 1e300;
  std::int64_t expected = 0;
  for (std::size_t i = 0; i < result.val_by_epoch.size(); ++i) {
    const NodeScores& epoch = result.val_by_epoch[i];
    if (epoch.accuracy >= best_accuracy && epoch.loss <= lowest_loss) expected = static_cast<std::int64_t>(i) + 1;
    best_accuracy = std::max(best_accuracy, epoch.accuracy);
    lowest_loss = std::min(lowest_loss, epoch.loss);
  }
  EXPECT_EQ(result.best_epoch, expected);
  // The scores reported are those of the kept epoch.
  EXPECT_EQ(result.val.loss, result.val_by_epoch[static_cast<std::size_t>(expected - 1)].loss);
}

TEST(NodeTrainer, PatienceStopsAfterThatManyEpochsWithoutANewRecord) {
  const NodeTrainingResult result = train_tiny_gat(300, 0, "patience: 5");
  ASSERT_LT(result.val_by_epoch.size(), 300u) << "5 epochs in a row without a record never happened";
  double best_accuracy = -1, lowest_loss = 1e300;
  int without_record = 0;
  for (std::size_t i = 0; i < result.val_by_epoch.size(); ++i) {
    const NodeScores& epoch = result.val_by_epoch[i];
    const bool record = epoch.accuracy >= best_accuracy || epoch.loss <= lowest_loss;
    without_record = record ? 0 : without_record + 1;
    best_accuracy = std::max(best_accuracy, epoch.accuracy);
    lowest_loss = std::min(lowest_loss, epoch.loss);
    // It stops at the first fifth epoch without a record, not before, not after.
    EXPECT_EQ(without_record == 5, i + 1 == result.val_by_epoch.size()) << "epoch " << i + 1;
  }
}

// GraphNAS reports the best test accuracy among the epochs that lowered the validation loss record:
// epochs 1, 2 and 4 here (epoch 3's loss is no record, epoch 5 only ties), so its 0.9 does not count.
TEST(NodeTrainer, GraphnasFigureIsTheBestTestAccuracyAtValidationLossRecords) {
  NodeTrainingResult result;
  const double val_losses[] = {1.0, 0.8, 0.9, 0.7, 0.7};
  const double test_accuracies[] = {0.5, 0.75, 0.9, 0.7, 0.95};
  for (int epoch = 0; epoch < 5; ++epoch) {
    result.val_by_epoch.push_back({0.5, val_losses[epoch]});
    result.test_by_epoch.push_back({test_accuracies[epoch], 1.0});
  }
  EXPECT_EQ(graphnas_test_accuracy(result), 0.75);
  EXPECT_EQ(graphnas_test_accuracy(NodeTrainingResult{}), 0);
}

// A real training: the figure is at least the test accuracy of the lowest-loss epoch, which the
// trainer keeps under `selection: val_loss`, and every epoch has its test scores.
TEST(NodeTrainer, GraphnasFigureIsAtLeastTheTestAccuracyOfTheKeptLowestLossEpoch) {
  const NodeTrainingResult result = train_tiny_gat(40, 0, "selection: val_loss");
  ASSERT_EQ(result.test_by_epoch.size(), result.val_by_epoch.size());
  EXPECT_EQ(result.test.accuracy, result.test_by_epoch[static_cast<std::size_t>(result.best_epoch - 1)].accuracy);
  EXPECT_GE(graphnas_test_accuracy(result), result.test.accuracy);
}

TEST(NodeTrainer, RefusesAnUnknownSelectionNamingTheAcceptedOnes) {
  try {
    train_tiny_gat(1, 0, "selection: val_f1");
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("val_accuracy_and_loss"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nas
