// Sub-networks scored with the weights they inherit from one supernet, by two workers at once, get the
// scores one worker gives them: the workers share the trained supernet and only read it. Run under
// ThreadSanitizer too (scripts/tsan.sh), where a worker writing what the other reads is a failure.
#include <gtest/gtest.h>

#include <map>

#include "experiments/log/search_log.hpp"
#include "tests/support/run_experiment.hpp"
#include "tests/support/scratch.hpp"

namespace nas {
namespace {

// SPOS over a 4-channel NAS-Bench-201 cell, one supernet epoch on 512 images; random search, so that
// the sub-networks proposed do not depend on the order in which scores come back.
const char* kExperiment =
    "name: shared_supernet\n"
    "seed: 5\n"
    "dataset: {name: fashion-mnist, train_subset: 512, validation: 256}\n"
    "space: {name: nb201, channels: 4, cells_per_stage: 1}\n"
    "supernet: {epochs: 1, batch_size: 64, examples_per_arch: 16, warmup_epochs: 0,\n"
    "           optimizer: {name: sgd, lr: 0.05, momentum: 0.9}}\n"
    "controller: {name: random}\n"
    "evaluator: {name: inherited, workers: 1, threads_per_worker: 1}\n"
    "budget: {trials: 8}\n";

using ScoresByArchitecture = std::map<std::string, std::pair<double, double>>;  // accuracy, loss

ScoresByArchitecture scores_of(const std::string& run_dir) {
  ScoresByArchitecture scores;
  for (const TrialRow& trial : SearchLog::open(run_dir, SearchLog::Mode::read_only).trials()) {
    EXPECT_EQ(trial.status, TrialStatus::done) << trial.error;
    if (trial.metrics) scores[trial.arch_hash] = {trial.metrics->val_accuracy, trial.metrics->val_loss};
  }
  return scores;
}

class SharedSupernetWorkers : public testing::ScratchDirTest {};

TEST_F(SharedSupernetWorkers, TwoWorkersScoreEachSubNetworkAsOneWorkerDoes) {
  // The supernet trains on workers x threads_per_worker threads, 2 in both runs, so that both score
  // with the same supernet.
  const std::string one = testing::run_experiment(
      load_experiment(kExperiment, "shared.yaml", {"evaluator.threads_per_worker=2"}), dir("one")).dir;
  const std::string two =
      testing::run_experiment(load_experiment(kExperiment, "shared.yaml", {"evaluator.workers=2"}), dir("two")).dir;
  const ScoresByArchitecture expected = scores_of(one);
  const ScoresByArchitecture actual = scores_of(two);
  EXPECT_GE(expected.size(), 4u);
  EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace nas
