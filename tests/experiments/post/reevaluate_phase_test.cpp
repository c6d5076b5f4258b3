// The `reevaluate` phase of a run: after the search, on the run's own log; added, reopened or skipped
// by a resume's --set reevaluate.*; not run when the search has nothing to re-evaluate.
#include <gtest/gtest.h>

#include <sstream>

#include "experiments/log/search_log.hpp"
#include "experiments/run/run.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/tiny_cnn_space.hpp"

namespace nas {
namespace {

const bool registered = search_space_registry().add("test-tiny-cnn-phases", [](const ConfigNode& options, const TaskShape*) {
  return std::make_unique<testing::TinyCnnSpace>(options.string_list("outputs", {"logits"}));
});

class ReevaluatePhase : public testing::ScratchDirTest {
 protected:
  static Experiment tabular(const std::vector<std::string>& extra) {
    std::vector<std::string> overrides = {"evaluator.table=" NAS_SHARED_DIR "/datasets/nasbench201/nb201.csv",
                                          "budget.trials=10"};
    overrides.insert(overrides.end(), extra.begin(), extra.end());
    return load_experiment_file(NAS_SOURCE_DIR "/experiments/examples/nb201_tabular.yaml", overrides);
  }
  RunOutcome start(Experiment experiment) {
    RunOptions options;
    options.dir = dir("run");
    return nas::Run::start(std::move(experiment), options).go_on();
  }
  std::vector<PhaseRow> phases() const { return SearchLog::open(dir("run"), SearchLog::Mode::read_only).phases(); }
  std::size_t repeats() const { return SearchLog::open(dir("run"), SearchLog::Mode::read_only).reevaluations().size(); }
};

TEST_F(ReevaluatePhase, FollowsTheSearchAndRecordsEveryRepeat) {
  const RunOutcome outcome = start(tabular({"reevaluate.top=2", "reevaluate.repeats=2"}));
  EXPECT_EQ(outcome.summaries.at("reevaluate").at("trained"), 4);
  EXPECT_FALSE(outcome.summaries.at("reevaluate").at("chosen_trial").is_null());
  const std::vector<PhaseRow> logged = phases();
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0].name, "search");
  EXPECT_EQ(logged[1].name, "reevaluate");
  EXPECT_EQ(logged[1].status, PhaseStatus::done);
  EXPECT_EQ(SearchLog::open(dir("run"), SearchLog::Mode::read_only).info().status, "finished")
      << "the search's outcome stays the run's status";
  EXPECT_EQ(repeats(), 4u);
}

TEST_F(ReevaluatePhase, MoreRepeatsOnResumeReopenItAloneAndTrainOnlyWhatIsMissing) {
  start(tabular({"reevaluate.top=2", "reevaluate.repeats=2"}));
  const RunOutcome more = nas::Run::resume(dir("run"), {"reevaluate.repeats=3"}, {}).go_on();
  EXPECT_EQ(more.summaries.count("search"), 0u) << "the search is not run again";
  EXPECT_EQ(more.summaries.at("reevaluate").at("trained"), 2);
  EXPECT_EQ(more.summaries.at("reevaluate").at("already_recorded"), 4);
  EXPECT_EQ(repeats(), 6u);
}

TEST_F(ReevaluatePhase, AResumeCanAddItToARunWithoutOneOrLeaveItOut) {
  start(tabular({}));
  ASSERT_EQ(phases().size(), 1u);
  const RunOutcome added = nas::Run::resume(dir("run"), {"reevaluate.top=1", "reevaluate.repeats=2"}, {}).go_on();
  EXPECT_EQ(added.summaries.count("search"), 0u);
  EXPECT_EQ(added.summaries.at("reevaluate").at("trained"), 2);
  ASSERT_EQ(phases().size(), 2u);
  EXPECT_EQ(phases()[1].name, "reevaluate");
  // repeats=0 takes it out of the experiment; a done phase stays done, and nothing runs.
  EXPECT_TRUE(nas::Run::resume(dir("run"), {"reevaluate.repeats=0"}, {}).go_on().summaries.empty());
  EXPECT_EQ(phases()[1].status, PhaseStatus::done);
}

TEST_F(ReevaluatePhase, ASearchWithoutASuccessfulTrialStopsTheRunBeforeIt) {
  const std::string text =
      "name: none-succeed\nseed: 1\ndataset: {name: fashion-mnist, train_subset: 200, validation: 100}\n"
      "space: {name: test-tiny-cnn-phases, outputs: [nan]}\ncontroller: {name: random}\n"
      "evaluator: {workers: 1, epochs: 1, batch_size: 50}\nbudget: {trials: 2}\nreevaluate: {top: 1, repeats: 1}\n";
  const RunOutcome outcome = start(load_experiment(text, "none.yaml"));
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_EQ(outcome.summaries.count("reevaluate"), 0u);
  EXPECT_EQ(phases()[1].status, PhaseStatus::pending);
  // Resuming finds nothing to re-evaluate: the run stops again, saying why, and writes no repeat.
  std::ostringstream notes;
  RunConsole console;
  console.notes = &notes;
  EXPECT_EQ(nas::Run::resume(dir("run"), {}, console).go_on().exit_code, 1);
  EXPECT_NE(notes.str().find("nothing to re-evaluate"), std::string::npos) << notes.str();
  EXPECT_EQ(repeats(), 0u);
  // Leaving it out lets the run end: the phase is skipped, and the log remembers the setting.
  EXPECT_EQ(nas::Run::resume(dir("run"), {"reevaluate.repeats=0"}, {}).go_on().exit_code, 0);
  EXPECT_EQ(phases()[1].status, PhaseStatus::skipped);
  EXPECT_EQ(nas::Run::resume(dir("run"), {}, {}).go_on().exit_code, 0);
  // Asked for again, the skipped phase runs again (and again finds nothing to re-evaluate).
  const RunOutcome again = nas::Run::resume(dir("run"), {"reevaluate.repeats=1"}, {}).go_on();
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.summaries.count("reevaluate"), 1u);
  EXPECT_EQ(phases()[1].status, PhaseStatus::pending);
}

}  // namespace
}  // namespace nas
