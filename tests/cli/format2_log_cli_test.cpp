// The committed log of format 2 (tests/fixtures/format2-run, written by nas before logs migrated):
// every later nas opens, inspects, lists and exports it without writing it, and resumes and
// re-evaluates it after upgrading it with a backup of the original first.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/json.hpp"
#include "nas_process.hpp"
#include "tests/support/scratch.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;
using testing::nas_command;
using testing::nas_stdout;
using testing::Outcome;

std::string file_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

class Format2Log : public testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    run_ = dir("runs/format2-run");
    fs::create_directories(dir("runs"));
    fs::copy(NAS_SOURCE_DIR "/tests/fixtures/format2-run", run_, fs::copy_options::recursive);
    fs::remove(run_ + "/README.md");
    original_ = file_bytes(run_ + "/search.db");
  }
  bool unchanged() const { return file_bytes(run_ + "/search.db") == original_ && !fs::exists(run_ + "/search.db.bak-format2"); }

  std::string run_;
  std::string original_;
};

TEST_F(Format2Log, InspectsAndListsWithoutWritingIt) {
  const Outcome text = nas_command("inspect " + run_);
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("Experiment: format2-fixture"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Phases:     search done (finished)"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("8 done, 6 failed"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Re-evaluated: chosen trial 13"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("trial 13 -> model.pt"), std::string::npos) << text.output;

  const Outcome json = nas_stdout("inspect " + run_ + " --json");
  ASSERT_EQ(json.exit_code, 0);
  const Json parsed = Json::parse(json.output);
  EXPECT_EQ(parsed["trials"].size(), 14u);
  EXPECT_EQ(parsed["exports"].size(), 1u);
  EXPECT_EQ(parsed["reevaluations"].size(), 4u);
  EXPECT_EQ(parsed["phases"][0]["name"], "search");
  int reused = 0;
  for (const Json& trial : parsed["trials"]) reused += trial["reused_from"].is_null() ? 0 : 1;
  EXPECT_EQ(reused, 1);

  const Outcome report = nas_command("inspect " + run_ + " --html " + dir("report.html"));
  EXPECT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(file_bytes(dir("report.html")).find("<dt>phases</dt><dd>search done (finished)</dd>"), std::string::npos);
  const Outcome listed = nas_command("ls " + dir("runs"));
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_NE(listed.output.find("format2-run"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("finished"), std::string::npos) << listed.output;
  EXPECT_TRUE(unchanged());
}

TEST_F(Format2Log, ExportsItsChosenTrialWithoutUpgradingIt) {
  const Outcome exported = nas_command("export " + run_ + " --out " + dir("model.pt"));
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_NE(exported.output.find("exported trial 13"), std::string::npos) << exported.output;
  EXPECT_NE(exported.output.find("not recorded in the run's log"), std::string::npos) << exported.output;
  EXPECT_TRUE(fs::exists(dir("model.pt")));
  EXPECT_TRUE(unchanged());
}

TEST_F(Format2Log, ResumesWithALargerBudgetAfterBackingItUp) {
  const Json before = Json::parse(nas_stdout("inspect " + run_ + " --json").output);
  const Outcome resumed = nas_command("resume " + run_ + " --quiet --set budget.trials=17");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(file_bytes(run_ + "/search.db.bak-format2"), original_) << "the backup is the log as it was";
  EXPECT_NE(resumed.output.find("upgraded the search log from format 2"), std::string::npos) << resumed.output;
  // The experiment asked for a re-evaluation, which a format-2 log did not record as a phase: it runs
  // after the search, training what the new top two lack.
  EXPECT_NE(resumed.output.find("re-evaluating the best 2 trials"), std::string::npos) << resumed.output;

  const Json after = Json::parse(nas_stdout("inspect " + run_ + " --json").output);
  ASSERT_EQ(after["trials"].size(), 17u);
  for (std::size_t i = 0; i < 14; ++i) EXPECT_EQ(after["trials"][i], before["trials"][i]) << "trial " << i;
  EXPECT_EQ(after["exports"], before["exports"]) << "nothing recorded is lost";
  EXPECT_GE(after["reevaluations"].size(), 4u);
  ASSERT_EQ(after["phases"].size(), 2u);
  EXPECT_EQ(after["phases"][0]["status"], "done");
  EXPECT_EQ(after["phases"][1]["name"], "reevaluate");
  EXPECT_EQ(after["phases"][1]["status"], "done");
}

TEST_F(Format2Log, ReevaluatesMoreRepeatsAfterBackingItUp) {
  const Outcome reevaluated = nas_command("reevaluate " + run_ + " --top 2 --repeats 3 --quiet");
  ASSERT_EQ(reevaluated.exit_code, 0) << reevaluated.output;
  EXPECT_NE(reevaluated.output.find("trained 2 repeats (4 were already in the log)"), std::string::npos)
      << reevaluated.output;
  EXPECT_EQ(file_bytes(run_ + "/search.db.bak-format2"), original_);
  EXPECT_NE(reevaluated.output.find("upgraded the search log from format 2 to 4"), std::string::npos)
      << reevaluated.output;
  const Json parsed = Json::parse(nas_stdout("inspect " + run_ + " --json").output);
  EXPECT_EQ(parsed["reevaluations"].size(), 6u);
  EXPECT_EQ(parsed["trials"].size(), 14u);
}

// A full or failing disk under the backup taken before the migration: an error naming the backup,
// the log as it was (no migration, no backup, no half copy); the next resume migrates it.
TEST_F(Format2Log, AFailedBackupBeforeTheMigrationLeavesTheLogAsItWas) {
  for (const std::string error : {"ENOSPC", "EIO"}) {
    SCOPED_TRACE(error);
    const Outcome faulty = testing::shell_command("NAS_FAULT_FAIL_WRITE=file:0:" + error + " " +
                                                  std::string(NAS_BINARY) + " resume " + run_ + " --quiet 2>&1");
    EXPECT_EQ(faulty.exit_code, 1) << faulty.output;
    EXPECT_NE(faulty.output.find(run_ + "/search.db.bak-format2: cannot back up the log"), std::string::npos)
        << faulty.output;
    EXPECT_TRUE(unchanged());
    EXPECT_FALSE(fs::exists(run_ + "/search.db.bak-format2.tmp"));
  }
  const Outcome resumed = nas_command("resume " + run_ + " --quiet");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(file_bytes(run_ + "/search.db.bak-format2"), original_);
}

}  // namespace
}  // namespace nas
