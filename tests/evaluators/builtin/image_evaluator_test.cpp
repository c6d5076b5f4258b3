// The evaluator the pool calls: size cap, seeded builds, failures of candidates.
#include <gtest/gtest.h>

#include "evaluators/builtin/image_evaluator.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/training/trainer_options.hpp"
#include "tests/support/evaluate_once.hpp"
#include "tests/support/test_mlp_space.hpp"

namespace nas {
namespace {

using evaluator_testing::parse_config;
using evaluator_testing::small_fashion_mnist;
using evaluator_testing::TestMlpSpace;

// An evaluator over the shared small dataset, so that each test does not load Fashion-MNIST again.
ImageEvaluator evaluator_for(const TestMlpSpace& space, const std::string& evaluator_yaml) {
  auto options = std::make_shared<const TrainerOptions>(
      read_trainer_options(parse_config("evaluator: " + evaluator_yaml).section("evaluator")));
  return ImageEvaluator(small_fashion_mnist(), options, space);
}

TEST(ImageEvaluator, MadeFromConfigSections) {
  TestMlpSpace space;
  const ConfigNode config = parse_config(
      "dataset: {name: fashion-mnist, train_subset: 1000, validation: 300}\n"
      "evaluator: {max_steps: 10, workers: 1}\n");
  const auto evaluator = make_image_evaluator(config.section("dataset"), config.section("evaluator"), space, 9);
  EXPECT_EQ(evaluator->task().classes, 10);
  EXPECT_EQ(evaluator->dataset()->train_images.size(0), 1000);
  EXPECT_EQ(evaluator->options().max_steps, 10);
  const TrialMetrics metrics = testing::evaluate_once(*evaluator, space.arch("mlp16", "plain"), 1);
  EXPECT_GT(metrics.val_accuracy, 0.1);
}

TEST(ImageEvaluator, ReportsParamsMaddsAndTime) {
  TestMlpSpace space;
  const ImageEvaluator evaluator = evaluator_for(space, "{max_steps: 5}");
  const Architecture arch = space.arch("cnn", "plain");
  const TrialMetrics metrics = testing::evaluate_once(evaluator, arch, 2);
  const ModelSummary summary = space.describe(arch, evaluator.task());
  EXPECT_EQ(metrics.params, summary.params);  // counted on the built network, agreeing with describe
  EXPECT_EQ(metrics.madds, summary.madds);
  EXPECT_GT(metrics.train_seconds, 0);
  EXPECT_GT(metrics.val_loss, 0);
}

TEST(ImageEvaluator, SameArchAndSeedGiveIdenticalMetrics) {
  TestMlpSpace space;
  const ImageEvaluator evaluator = evaluator_for(space, "{max_steps: 15}");
  const Architecture arch = space.arch("mlp64", "plain");
  const TrialMetrics first = testing::evaluate_once(evaluator, arch, 8);
  const TrialMetrics second = testing::evaluate_once(evaluator, arch, 8);
  EXPECT_EQ(first.val_accuracy, second.val_accuracy);
  EXPECT_EQ(first.val_loss, second.val_loss);
}

TEST(ImageEvaluator, OverMaxParamsFailsBeforeBuilding) {
  TestMlpSpace space;
  const ImageEvaluator evaluator = evaluator_for(space, "{max_params: 20000}");
  try {
    testing::evaluate_once(evaluator, space.arch("mlp64", "plain"), 1);  // 28*28*64 + 64 + 64*10 + 10 parameters
    FAIL() << "expected a TrialFailure";
  } catch (const TrialFailure& failure) {
    EXPECT_EQ(std::string(failure.what()), "has 50890 parameters, over evaluator.max_params = 20000");
  }
  EXPECT_EQ(space.builds, 0);
  EXPECT_NO_THROW(testing::evaluate_once(evaluator, space.arch("mlp16", "plain"), 1));  // 12,730 parameters
}

TEST(ImageEvaluator, NanCandidateFailsItsTrial) {
  TestMlpSpace space;
  const ImageEvaluator evaluator = evaluator_for(space, "{}");
  try {
    testing::evaluate_once(evaluator, space.arch("cnn", "nan"), 1);
    FAIL() << "expected a TrialFailure";
  } catch (const TrialFailure& failure) {
    EXPECT_NE(std::string(failure.what()).find("loss became nan"), std::string::npos) << failure.what();
  }
}

TEST(ImageEvaluator, ShapeErrorBecomesShortTrialFailure) {
  TestMlpSpace space;
  const ImageEvaluator evaluator = evaluator_for(space, "{}");
  try {
    testing::evaluate_once(evaluator, space.arch("wrong-shape", "plain"), 1);
    FAIL() << "expected a TrialFailure";
  } catch (const TrialFailure& failure) {
    const std::string message = failure.what();
    EXPECT_NE(message.find("cannot be multiplied"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace nas
