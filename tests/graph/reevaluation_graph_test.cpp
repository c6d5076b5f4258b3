// `nas reevaluate` on a graph search that shared weights: every repeat trains from scratch, and a
// repeat past the overriding time limit fails alone.
#include <gtest/gtest.h>

#include "../support/scratch.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/post/reevaluation.hpp"
#include "experiments/run/experiment.hpp"
#include "tests/support/run_experiment.hpp"

namespace nas {
namespace {

class GraphReevaluation : public testing::ScratchDirTest {};

TEST_F(GraphReevaluation, RepeatsTrainFromScratchEvenWhenTheSearchSharedWeights) {
  const std::string text = std::string("name: shared\nseed: 2\n") +
                           "dataset: {name: planetoid, path: " + NAS_SHARED_DIR + "/datasets/planetoid/cora}\n" +
                           "space: {name: autognn, layers: 2}\n"
                           "controller: {name: conservative, seeds: [gat]}\n"
                           "evaluator: {name: node_classification, workers: 1, epochs: 3, share_weights: true,\n"
                           "            fine_tune_epochs: 2}\n"
                           "budget: {trials: 10}\n";
  const std::string run_dir = testing::run_experiment(load_experiment(text, "shared.yaml"), dir("run")).dir;
  {
    // The search did share: some child inherited layers (the seed gat's neighbours share its shapes).
    const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
    bool inherited = false;
    for (const TrialRow& row : log.trials())
      if (row.metrics && row.metrics->reported.count("inherited_layers") &&
          row.metrics->reported.at("inherited_layers") > 0)
        inherited = true;
    ASSERT_TRUE(inherited) << "no trial inherited a layer: the test does not exercise sharing";
  }

  ReevaluateOptions options;
  options.run_dir = run_dir;
  options.top = 2;
  options.repeats = 2;
  reevaluate(options);
  for (const ReevaluationRow& row : SearchLog::open(run_dir, SearchLog::Mode::read_only).reevaluations()) {
    ASSERT_EQ(row.status, TrialStatus::done) << row.error;
    EXPECT_EQ(row.metrics.reported.count("inherited_layers"), 0u) << "repeat " << row.repeat << " shared weights";
  }

  // A limit no training meets: the new repeats fail with the reason, the recorded ones stay.
  options.repeats = 3;
  options.trial_time_limit = "0.000001";
  const ReevaluateOutcome limited = reevaluate(options);
  EXPECT_EQ(limited.trained, 2);
  int failed = 0;
  for (const ReevaluationRow& row : SearchLog::open(run_dir, SearchLog::Mode::read_only).reevaluations()) {
    if (row.repeat < 2) continue;
    EXPECT_EQ(row.status, TrialStatus::failed);
    EXPECT_NE(row.error.find("evaluator.trial_time_limit"), std::string::npos) << row.error;
    ++failed;
  }
  EXPECT_EQ(failed, 2);
  for (const ReevaluationSummary& summary : limited.summaries) {
    EXPECT_EQ(summary.done, 2);
    EXPECT_EQ(summary.failed, 1);
  }
}

}  // namespace
}  // namespace nas
