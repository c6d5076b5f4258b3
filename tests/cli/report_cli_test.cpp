// `nas ls` and the report views of `nas inspect` (--trial, --html) on logs made directly, without training.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/scratch.hpp"
#include "core/json.hpp"
#include "nas_process.hpp"
#include "tests/support/search_log_fixture.hpp"

namespace nas {
namespace {

using log_test::done_trial;
using log_test::failed_trial;
using log_test::make_arch;
using testing::nas_command;
using testing::Outcome;

// The line of `text` that starts with `start`, or "" when there is none.
std::string line_starting(const std::string& text, const std::string& start) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(start, 0) == 0) return line;
  return "";
}

class ReportCli : public testing::ScratchDirTest {
 protected:
  // A run of budget 5 in `run_dir`: trial 0 done 0.80, 1 failed, 2 done 0.90.
  void make_run(const std::string& run_dir) {
    RunInfo info = log_test::make_run_info();
    info.experiment_json["budget"] = Json{{"trials", 5}};
    SearchLog log = SearchLog::create(run_dir, info);
    const Architecture a = make_arch("a"), b = make_arch("b"), c = make_arch("c");
    log.add_trial(a, 1);
    log.finish_trial(done_trial(0, a, 0.80), Checkpoint{Json::object()});
    log.add_trial(b, 2);
    log.finish_trial(failed_trial(1, b, "loss became NaN"), Checkpoint{Json::object()});
    log.add_trial(c, 3);
    log.finish_trial(done_trial(2, c, 0.90), Checkpoint{Json::object()});
  }

  // runs/good (a run), runs/notes (a folder without a log), runs/broken (a log that is not SQLite),
  // and runs/README (a file).
  std::string make_runs_folder() {
    const std::string runs = dir("runs");
    make_run(runs + "/good");
    std::filesystem::create_directories(runs + "/notes");
    std::ofstream(runs + "/notes/todo.txt") << "try more blocks\n";
    std::filesystem::create_directories(runs + "/broken");
    std::ofstream(runs + "/broken/search.db") << "this is not a database";
    std::ofstream(runs + "/README") << "runs live here\n";
    return runs;
  }
};

TEST_F(ReportCli, LsListsRunsAndSkipsOtherFolders) {
  const Outcome outcome = nas_command("ls " + make_runs_folder());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(line_starting(outcome.output, "run ").find("status"), std::string::npos) << outcome.output;
  const std::string good = line_starting(outcome.output, "good ");
  EXPECT_NE(good.find("running"), std::string::npos) << outcome.output;
  EXPECT_NE(good.find("2/5"), std::string::npos) << outcome.output;
  EXPECT_NE(good.find("0.9000"), std::string::npos) << outcome.output;
  EXPECT_NE(good.find("Z"), std::string::npos) << "the start time: " << outcome.output;
  const std::string broken = line_starting(outcome.output, "broken ");
  EXPECT_NE(broken.find("error: "), std::string::npos) << outcome.output;
  EXPECT_NE(broken.find("broken/search.db"), std::string::npos) << outcome.output;
  EXPECT_EQ(outcome.output.find("notes"), std::string::npos) << outcome.output;
  EXPECT_EQ(outcome.output.find("README"), std::string::npos) << outcome.output;
}

TEST_F(ReportCli, LsLooksInRunsByDefault) {
  make_runs_folder();
  const Outcome outcome = testing::shell_command("cd " + root().string() + " && " + NAS_BINARY + " ls 2>&1");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(line_starting(outcome.output, "good ").find("2/5"), std::string::npos) << outcome.output;
}

TEST_F(ReportCli, LsOfAMissingDirectoryIsAnError) {
  const Outcome outcome = nas_command("ls " + dir("nowhere"));
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find(dir("nowhere") + ": no such directory"), std::string::npos) << outcome.output;
}

TEST_F(ReportCli, InspectTrialShowsOneTrialInFull) {
  make_run(dir("run"));
  const Outcome outcome = nas_command("inspect " + dir("run") + " --trial 2");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  for (const char* part : {"Trial 2 of log-test", "status:        done", "seed:          3", "val accuracy:  0.9000",
                           "params:        1002", "choices (1):", "  cell = c", "genotype:\n{\n  \"cell\": \"c\","})
    EXPECT_NE(outcome.output.find(part), std::string::npos) << part << "\n" << outcome.output;

  const Outcome failed = nas_command("inspect " + dir("run") + " --trial 1");
  EXPECT_NE(failed.output.find("error:         loss became NaN"), std::string::npos) << failed.output;

  const Json json = Json::parse(nas_command("inspect " + dir("run") + " --trial 2 --json").output);
  EXPECT_EQ(json["id"], 2);
  EXPECT_EQ(json["status"], "done");
}

TEST_F(ReportCli, InspectTrialWithAnUnknownIdNamesIt) {
  make_run(dir("run"));
  const Outcome outcome = nas_command("inspect " + dir("run") + " --trial 7");
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("no trial 7; its trials are 0 to 2"), std::string::npos) << outcome.output;
}

TEST_F(ReportCli, InspectHtmlWritesASelfContainedPage) {
  make_run(dir("run"));
  const std::string file = dir("report.html");
  const Outcome outcome = nas_command("inspect " + dir("run") + " --html " + file);
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const std::string html = log_test::file_bytes(file);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<tr id=\"trial-2\""), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);

  const Outcome mixed = nas_command("inspect " + dir("run") + " --html " + file + " --json");
  EXPECT_NE(mixed.exit_code, 0);
  EXPECT_NE(mixed.output.find("--html"), std::string::npos) << mixed.output;
}

TEST_F(ReportCli, InspectTopAndJsonStillWork) {
  make_run(dir("run"));
  const Outcome top = nas_command("inspect " + dir("run") + " --top 1");
  ASSERT_EQ(top.exit_code, 0) << top.output;
  EXPECT_NE(top.output.find("Top 1 of 2 done trials"), std::string::npos) << top.output;
  const Json json = Json::parse(nas_command("inspect " + dir("run") + " --json").output);
  EXPECT_EQ(json["trials"].size(), 3u);
}

}  // namespace
}  // namespace nas
