// `nas reevaluate` as a user types it: the chosen trial and its lead printed, the repeats in `nas inspect`, and
// clear refusals.
#include <gtest/gtest.h>

#include <filesystem>

#include "../support/scratch.hpp"
#include "core/json.hpp"
#include "nas_process.hpp"

namespace nas {
namespace {

using testing::nas_command;
using testing::nas_stdout;
using testing::Outcome;

class ReevaluateCli : public testing::ScratchDirTest {};

TEST_F(ReevaluateCli, PrintsTheChoiceAndInspectShowsEveryRepeat) {
  const std::string run = dir("run");
  // The NAS-Bench-201 table answers at once, so the whole command takes well under a second.
  const Outcome searched = nas_command(std::string("run ") + NAS_SOURCE_DIR +
                                       "/experiments/examples/nb201_tabular.yaml --quiet --set budget.trials=8 --out " +
                                       run);
  ASSERT_EQ(searched.exit_code, 0) << searched.output;

  const Outcome reevaluated = nas_command("reevaluate " + run + " --top 3 --repeats 2 --workers 1");
  ASSERT_EQ(reevaluated.exit_code, 0) << reevaluated.output;
  EXPECT_NE(reevaluated.output.find("trained 6 repeats (0 were already in the log)"), std::string::npos)
      << reevaluated.output;
  EXPECT_NE(reevaluated.output.find("Re-evaluated: chosen trial "), std::string::npos) << reevaluated.output;
  EXPECT_NE(reevaluated.output.find("Lead over trial "), std::string::npos) << reevaluated.output;

  const Outcome again = nas_command("reevaluate " + run + " --top 3 --repeats 2 --quiet");
  EXPECT_NE(again.output.find("trained 0 repeats (6 were already in the log)"), std::string::npos) << again.output;

  const Outcome inspected = nas_command("inspect " + run);
  EXPECT_NE(inspected.output.find("Re-evaluated: chosen trial "), std::string::npos) << inspected.output;
  EXPECT_NE(inspected.output.find("Lead over trial "), std::string::npos) << inspected.output;
  const Outcome as_json = nas_stdout("inspect " + run + " --json");
  ASSERT_EQ(as_json.exit_code, 0);
  EXPECT_EQ(Json::parse(as_json.output)["reevaluations"].size(), 6u);
}

// An experiment with a `reevaluate:` section: `nas run` searches and then chooses, in one command;
// `nas resume` may ask for more repeats (training only those) or for none.
TEST_F(ReevaluateCli, RunWithAReevaluateSectionSearchesThenChoosesAndResumeAddsRepeats) {
  const std::string run = dir("run");
  const std::string experiment = std::string(NAS_SOURCE_DIR) + "/experiments/examples/nb201_tabular.yaml";
  const Outcome searched = nas_command("run " + experiment + " --quiet --set budget.trials=8 --set reevaluate.top=3 " +
                                       "--set reevaluate.repeats=2 --set reevaluate.workers=1 --out " + run);
  ASSERT_EQ(searched.exit_code, 0) << searched.output;
  EXPECT_NE(searched.output.find("best: trial "), std::string::npos) << searched.output;
  EXPECT_NE(searched.output.find("re-evaluating the best 3 trials, 2 trainings each"), std::string::npos)
      << searched.output;
  EXPECT_NE(searched.output.find("trained 6 repeats (0 were already in the log)"), std::string::npos) << searched.output;
  EXPECT_NE(searched.output.find("Re-evaluated: chosen trial "), std::string::npos) << searched.output;

  const Outcome more = nas_command("resume " + run + " --quiet --set reevaluate.repeats=3");
  ASSERT_EQ(more.exit_code, 0) << more.output;
  EXPECT_NE(more.output.find("trained 3 repeats (6 were already in the log)"), std::string::npos) << more.output;
  // The log remembers the new plan: resuming again finds every phase done and trains nothing.
  const Outcome again = nas_command("resume " + run + " --quiet");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("every phase of this run is done"), std::string::npos) << again.output;
  EXPECT_EQ(again.output.find("trained"), std::string::npos) << again.output;
  const Outcome off = nas_command("resume " + run + " --quiet --set reevaluate.repeats=0");
  ASSERT_EQ(off.exit_code, 0) << off.output;
  EXPECT_EQ(off.output.find("re-evaluating"), std::string::npos) << off.output;

  const Outcome as_json = nas_stdout("inspect " + run + " --json");
  ASSERT_EQ(as_json.exit_code, 0);
  EXPECT_EQ(Json::parse(as_json.output)["reevaluations"].size(), 9u);
}

TEST_F(ReevaluateCli, AMisspeltOrBadReevaluateKeyStopsTheRunBeforeAnyTrial) {
  const std::string experiment = std::string(NAS_SOURCE_DIR) + "/experiments/examples/nb201_tabular.yaml";
  const Outcome misspelt = nas_command("run " + experiment + " --quiet --set reevaluate.repeat=2 --out " + dir("a"));
  EXPECT_NE(misspelt.exit_code, 0);
  EXPECT_NE(misspelt.output.find("reevaluate.repeat"), std::string::npos) << misspelt.output;
  for (const char* accepted : {"repeats", "top", "workers", "trial_time_limit"})
    EXPECT_NE(misspelt.output.find(accepted), std::string::npos) << accepted << " is not named: " << misspelt.output;
  const Outcome zero_top = nas_command("run " + experiment + " --quiet --set reevaluate.top=0 --out " + dir("b"));
  EXPECT_NE(zero_top.exit_code, 0);
  EXPECT_NE(zero_top.output.find("reevaluate.top"), std::string::npos) << zero_top.output;
  // A lookup table has no time limit to replace: refused now, not after the search.
  const Outcome no_limit =
      nas_command("run " + experiment + " --quiet --set reevaluate.trial_time_limit=5 --out " + dir("c"));
  EXPECT_NE(no_limit.exit_code, 0);
  EXPECT_NE(no_limit.output.find("reevaluate.trial_time_limit"), std::string::npos) << no_limit.output;
  EXPECT_NE(no_limit.output.find("has no trial_time_limit to replace"), std::string::npos) << no_limit.output;
  for (const char* run : {"a", "b", "c"}) EXPECT_FALSE(std::filesystem::exists(dir(run) + "/search.db")) << run;
}

TEST_F(ReevaluateCli, RefusesADirectoryThatIsNotARunAndBadCounts) {
  const Outcome missing = nas_command("reevaluate " + dir("nothing-here"));
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find(dir("nothing-here")), std::string::npos) << missing.output;
  const Outcome zero = nas_command("reevaluate " + dir("nothing-here") + " --repeats 0");
  EXPECT_NE(zero.exit_code, 0);
  EXPECT_NE(zero.output.find("--repeats"), std::string::npos) << zero.output;
}

}  // namespace
}  // namespace nas
