// A search whose trials share weights (Auto-GNN's parameter sharing) killed and resumed writes the log
// of an uninterrupted one: the shared layers are the run's, checkpointed with each result and
// restored on resume, so every later trial inherits exactly what it would have.
#include <gtest/gtest.h>

#include "run_comparison.hpp"
#include "tests/support/scratch.hpp"

namespace nas {
namespace {

using testing::nas_command;
using testing::Outcome;

class SharedWeightsResume : public testing::ScratchDirTest {
 protected:
  // The Cora example with sharing on, one worker, and trainings short enough for a test.
  static std::string args(const std::string& out) {
    return "run " NAS_SOURCE_DIR "/experiments/examples/autognn_cora.yaml --quiet --out " + out +
           " --set evaluator.share_weights=true --set evaluator.workers=1 --set evaluator.epochs=12"
           " --set evaluator.fine_tune_epochs=4 --set budget.trials=14 --set reevaluate.repeats=0"
           " --set evaluator.trial_time_limit=0";
  }
};

TEST_F(SharedWeightsResume, KilledInsideAResultsWriteAndResumedEqualsTheUninterruptedRun) {
  const std::string reference = dir("reference");
  const Outcome uninterrupted = nas_command(args(reference));
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.output;
  {
    // The test must exercise sharing: later trials inherit layers that earlier ones trained.
    int inherited = 0;
    for (const TrialRow& row : SearchLog::open(reference, SearchLog::Mode::read_only).trials())
      if (row.metrics && row.metrics->reported.at("inherited_layers") > 0) ++inherited;
    ASSERT_GE(inherited, 3) << "too few trials inherited a layer for the test to mean anything";
  }

  // Killed inside the transaction of trial 9's result: the layers it offered must vanish with it; trials
  // 12 and 13 inherit after the resume, trial 6 before the kill.
  const std::string run_dir = dir("killed");
  const pid_t child = testing::spawn_nas(args(run_dir), "NAS_FAULT_KILL_AT=trial:9");
  ASSERT_TRUE(testing::ended_by_signal(child));
  EXPECT_EQ(testing::finished_trials(run_dir), 9);
  const Outcome resumed = nas_command("resume " + run_dir + " --quiet");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  testing::expect_same_log(reference, run_dir);
}

}  // namespace
}  // namespace nas
