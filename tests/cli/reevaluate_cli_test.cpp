// `nas reevaluate` as a user types it: the chosen trial and its lead printed, the repeats in `nas inspect`, and
// clear refusals.
#include <gtest/gtest.h>

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
