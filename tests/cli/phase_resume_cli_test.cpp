// `nas resume` continues the phase a run was in, then the ones after it: a run killed during its
// re-evaluation resumes in that phase and does not search again.
#include <gtest/gtest.h>

#include "run_comparison.hpp"
#include "tests/support/scratch.hpp"

namespace nas {
namespace {

using testing::nas_command;
using testing::Outcome;

class PhaseResume : public testing::ScratchDirTest {};

TEST_F(PhaseResume, ARunKilledDuringItsReevaluationResumesThereWithoutSearchingAgain) {
  const std::string run_dir = dir("run");
  const std::string args = "run " NAS_SOURCE_DIR "/experiments/examples/nb201_tabular.yaml --quiet --out " + run_dir +
                           " --set budget.trials=8 --set reevaluate.top=3 --set reevaluate.repeats=2"
                           " --set reevaluate.workers=1";
  // Killed as it records its third repeat.
  const pid_t child = testing::spawn_nas(args, "NAS_FAULT_KILL_AT=reevaluation:2");
  ASSERT_TRUE(testing::ended_by_signal(child));
  std::vector<TrialRow> trials_before;
  {
    const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
    const std::vector<PhaseRow> phases = log.phases();
    ASSERT_EQ(phases.size(), 2u);
    EXPECT_EQ(phases[0].status, PhaseStatus::done);
    EXPECT_EQ(phases[1].name, "reevaluate");
    EXPECT_EQ(phases[1].status, PhaseStatus::running);
    EXPECT_EQ(log.reevaluations().size(), 2u);
    EXPECT_EQ(log.info().status, "running");
    trials_before = log.trials();
  }
  const Outcome inspected = nas_command("inspect " + run_dir);
  EXPECT_NE(inspected.output.find("Phases:     search done (finished), reevaluate running"), std::string::npos)
      << inspected.output;

  const Outcome resumed = nas_command("resume " + run_dir + " --quiet");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("phases search (done), reevaluate (running)"), std::string::npos) << resumed.output;
  EXPECT_NE(resumed.output.find("trained 4 repeats (2 were already in the log)"), std::string::npos) << resumed.output;
  EXPECT_EQ(resumed.output.find("nas: search:"), std::string::npos) << "the search did not run again\n"
                                                                     << resumed.output;
  EXPECT_EQ(resumed.output.find("run directory:"), std::string::npos) << resumed.output;

  const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
  const std::vector<TrialRow> trials_after = log.trials();
  ASSERT_EQ(trials_after.size(), trials_before.size());
  for (std::size_t i = 0; i < trials_after.size(); ++i) {
    EXPECT_EQ(trials_after[i].arch_hash, trials_before[i].arch_hash);
    EXPECT_EQ(trials_after[i].finished_at, trials_before[i].finished_at) << "trial " << i << " was not touched";
  }
  EXPECT_EQ(log.reevaluations().size(), 6u);
  for (const PhaseRow& phase : log.phases()) EXPECT_EQ(phase.status, PhaseStatus::done) << phase.name;
  EXPECT_EQ(log.info().status, "finished");
}

}  // namespace
}  // namespace nas
