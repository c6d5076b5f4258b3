// Every bad experiment file stops with a message naming the file, the line, the key and what is
// accepted, before any training (so before any run directory exists).
#include <gtest/gtest.h>

#include <filesystem>

#include "experiments/run/experiment.hpp"
#include "tests/support/evaluate_once.hpp"

namespace nas {
namespace {

const char* kGood =
    "name: quickstart\n"
    "seed: 0\n"
    "dataset: {name: fashion-mnist, path: /usr/share/datasets/fashion-mnist, train_subset: 1000, validation: 200}\n"
    "space: {name: nasnet}\n"
    "controller: {name: evolution, population: 16, tournament: 4}\n"
    "evaluator: {workers: 2, threads_per_worker: 1, epochs: 1, batch_size: 64,\n"
    "            optimizer: {name: sgd, lr: 0.05, momentum: 0.9, weight_decay: 0.0003}, max_params: 2000000}\n"
    "budget: {trials: 24, hours: 1}\n";

std::string error_of(const std::vector<std::string>& overrides, const std::string& text = kGood) {
  try {
    load_experiment(text, "quickstart.yaml", overrides);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "message: " << text << "\nexpected to contain: " << part;
}

TEST(ExperimentConfig, TheQuickstartShapeLoads) {
  const Experiment experiment = load_experiment(kGood, "quickstart.yaml");
  EXPECT_EQ(experiment.config.name, "quickstart");
  EXPECT_EQ(experiment.config.budget.trials, 24);
  EXPECT_EQ(experiment.config.runner.workers, 2);
  EXPECT_EQ(experiment.space->name(), "nasnet");
  EXPECT_EQ(experiment.config.effective["controller"]["population"], 16);
}

TEST(ExperimentConfig, OverridesChangeTheEffectiveConfiguration) {
  const Experiment experiment = load_experiment(kGood, "quickstart.yaml", {"controller.population=8"});
  EXPECT_EQ(experiment.config.effective["controller"]["population"], 8);
}

TEST(ExperimentConfig, UnknownTopLevelKey) {
  expect_contains(error_of({}, std::string(kGood) + "controler: {name: random}\n"),
                  "quickstart.yaml:9:12: controler: unknown key 'controler'");
  expect_contains(error_of({}, std::string(kGood) + "controler: {name: random}\n"), "did you mean 'controller'");
}

TEST(ExperimentConfig, UnknownSpaceControllerDatasetAndOptimizerNames) {
  expect_contains(error_of({"space.name=nasnt"}), "--set space.name=nasnt: space.name: unknown search space 'nasnt'");
  expect_contains(error_of({"space.name=nasnt"}), "did you mean 'nasnet'");
  expect_contains(error_of({"controller.name=evolve"}), "unknown controller 'evolve'");
  expect_contains(error_of({"dataset.name=fashion_mnist"}), "did you mean 'fashion-mnist'");
  expect_contains(error_of({"evaluator.optimizer.name=lamb"}), "evaluator.optimizer.name");
}

TEST(ExperimentConfig, WrongTypesAndRanges) {
  expect_contains(error_of({"budget.trials=many"}), "budget.trials: expected an integer, got 'many'");
  expect_contains(error_of({"budget.trials=0"}), "budget.trials: must be at least 1, got 0");
  expect_contains(error_of({"evaluator.workers=0"}), "evaluator.workers: must be between 1 and 1024, got 0");
  expect_contains(error_of({"controller.tournament=20"}), "controller.tournament: must not exceed controller.population");
  expect_contains(error_of({"seed=-3"}), "seed: must be at least 0, got -3");
}

TEST(ExperimentConfig, UnknownKeysInsideSections) {
  expect_contains(error_of({"evaluator.epoch=2"}), "evaluator.epoch: unknown key 'epoch'");
  expect_contains(error_of({"evaluator.epoch=2"}), "did you mean 'epochs'");
  expect_contains(error_of({"budget.trails=2"}), "did you mean 'trials'");
  expect_contains(error_of({"space.cell_per_stage=2"}), "did you mean 'cells_per_stage'");
}

TEST(ExperimentConfig, MissingNameAndBadSectionShapes) {
  expect_contains(error_of({}, "seed: 0\n"), "missing required key 'name'");
  expect_contains(error_of({"space=nasnet"}), "space: expected a section of keys, got 'nasnet'");
  expect_contains(error_of({"name=a/b"}), "name: may hold letters, digits");
}

TEST(ExperimentConfig, EvaluatorNameChoosesTheEvaluatorTrainByDefault) {
  expect_contains(error_of({"evaluator.name=tabulr"}), "evaluator.name: unknown evaluator 'tabulr'");
  expect_contains(error_of({"evaluator.name=tabulr"}), "did you mean 'tabular'");
  EXPECT_EQ(error_of({"evaluator.name=train"}), "(no error)");
  expect_contains(error_of({"evaluator.name=tabular"}), "dataset: the tabular evaluator reads no dataset");
}

TEST(ExperimentConfig, TheNb201TabularExampleLoadsWithoutADataset) {
  // No override of the table: its path in the file is read from the file's folder, not from the
  // test's working directory (the build folder), and kept resolved.
  const Experiment experiment = load_experiment_file(NAS_SOURCE_DIR "/experiments/examples/nb201_tabular.yaml");
  EXPECT_EQ(experiment.config.effective["evaluator"]["table"].get<std::string>(),
            std::filesystem::path(NAS_SHARED_DIR "/datasets/nasbench201/nb201.csv").lexically_normal().string());
  EXPECT_EQ(experiment.space->name(), "nb201");
  EXPECT_EQ(experiment.config.runner.workers, 1);
  EXPECT_EQ(experiment.config.budget.trials, 150);
  const Architecture arch = experiment.space->from_genotype(
      Json("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"));
  const TrialMetrics metrics = testing::evaluate_once(*experiment.evaluator, arch, 0);
  EXPECT_NEAR(metrics.val_accuracy, 0.907693, 1e-12);
  EXPECT_EQ(metrics.reported.size(), 3u);
  const std::string table = NAS_SHARED_DIR "/datasets/nasbench201/nb201.csv";
  const std::string tabular = "name: t\nspace: {name: nb201}\ncontroller: {name: random}\n"
                              "evaluator: {name: tabular, table: " + table + "}\n";
  expect_contains(error_of({"space.name=nasnet"}, tabular), "needs space: {name: nb201}");
  // A trainer's key means nothing to the tabular evaluator.
  expect_contains(error_of({"evaluator.epochs=2"}, tabular), "evaluator.epochs: unknown key 'epochs'");
}

TEST(ExperimentConfig, CudaOnAMachineWithoutItIsAnErrorNamingTheKey) {
  expect_contains(error_of({"evaluator.device=cuda"}), "evaluator.device");
}

}  // namespace
}  // namespace nas

namespace nas {
namespace {

// `reevaluate:` with nothing after it was refused as "unknown key 'reevaluate'"; it is the section
// with its defaults, as an empty section is everywhere else.
TEST(ExperimentConfigEmptySections, AReevaluateSectionWithoutKeysTakesItsDefaults) {
  const Experiment experiment = load_experiment(std::string(kGood) + "reevaluate:\n", "quickstart.yaml");
  ASSERT_TRUE(experiment.config.reevaluation.has_value());
  EXPECT_EQ(experiment.config.reevaluation->top, 5);
  EXPECT_EQ(experiment.config.reevaluation->repeats, 10);
}

}  // namespace
}  // namespace nas
