// `nas resume`: a search killed at any moment (SIGKILL from outside, or inside a log write) and
// resumed ends with exactly the log an uninterrupted search with the same seed writes.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../support/scratch.hpp"
#include "core/error.hpp"
#include "experiments/log/search_log.hpp"
#include "nas_process.hpp"
#include "run_comparison.hpp"

namespace nas {
namespace {

using testing::expect_same_log;
using testing::kill_after;
using testing::nas_command;
using testing::Outcome;

// Small enough that a trial takes a fraction of a second; one worker, so that the order is fixed.
std::string experiment_text(const std::string& controller, const std::string& space) {
  return "name: resumable\n"
         "seed: 11\n"
         "dataset: {name: fashion-mnist, train_subset: 256, validation: 128}\n"
         "space: " + space + "\n"
         "controller: " + controller + "\n"
         "evaluator: {workers: 1, threads_per_worker: 1, epochs: 1, batch_size: 64}\n"
         "budget: {trials: 10}\n";
}
constexpr const char* kEvolution = "{name: evolution, population: 4, tournament: 2}";
// A batch of 2 leaves a batch half collected at some checkpoints: the pending part must resume too.
constexpr const char* kReinforce = "{name: rl, batch: 2, lr: 0.01}";
// The conservative explorer trains a child that beats the best again before it replaces it: those
// trainings, and the ones still due, must resume too.
constexpr const char* kConfirmingClimb = "{name: conservative, hidden: 16, lr: 0.01, confirmations: 1}";
constexpr const char* kNasnet = "{name: nasnet, blocks: 2}";
// Small einspace networks: the policy drives grammar decisions, whose options depend on the shapes.
constexpr const char* kEinspace = "{name: einspace, max_params: 30000, max_operations: 40, max_feature_elements: 20000}";

class Resume : public testing::ScratchDirTest {
 protected:
  std::string experiment(const std::string& controller = kEvolution, const std::string& space = kNasnet) {
    const std::string path = dir(std::string("resumable-") + (controller == kEvolution ? "evolution" : "rl") +
                                 (space == kNasnet ? "" : "-einspace") + ".yaml");
    if (!std::filesystem::exists(path)) std::ofstream(path) << experiment_text(controller, space);
    return path;
  }

  void run_to_end(const std::string& args) {
    const Outcome outcome = nas_command(args + " --quiet");
    ASSERT_EQ(outcome.exit_code, 0) << args << "\n" << outcome.output;
  }

  // The uninterrupted search the interrupted ones are compared with. (ctest runs each test in its own
  // process, so each test that needs it runs it.)
  std::string reference(const std::string& controller = kEvolution, const std::string& space = kNasnet) {
    const std::string run_dir = dir("reference");
    run_to_end("run " + experiment(controller, space) + " --out " + run_dir);
    return run_dir;
  }
};

TEST_F(Resume, KilledAfterSomeTrialsThenResumedMatchesTheUninterruptedRun) {
  const std::string run_dir = dir("killed");
  kill_after("run " + experiment() + " --out " + run_dir, run_dir, 3);
  const std::int64_t before = testing::finished_trials(run_dir);
  EXPECT_GE(before, 3);
  EXPECT_LT(before, 10);
  run_to_end("resume " + run_dir);
  expect_same_log(reference(), run_dir);
  EXPECT_EQ(SearchLog::open(run_dir, SearchLog::Mode::read_only).info().status, "finished");
}

TEST_F(Resume, KilledTwiceOnceInsideALogWriteThenResumedMatches) {
  const std::string run_dir = dir("killed-twice");
  // First death: inside the transaction that records trial 4; the transaction must vanish whole.
  const pid_t child = testing::spawn_nas("run " + experiment() + " --out " + run_dir + " --quiet",
                                         "NAS_FAULT_KILL_AT=trial:4");
  ASSERT_TRUE(testing::ended_by_signal(child));
  {
    const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
    EXPECT_EQ(testing::finished_trials(run_dir), 4) << "trials 0-3 finished and kept, trial 4 rolled back";
    EXPECT_EQ(log.latest_checkpoint()->after_trial, 3);
  }
  // Second death: from outside, during the resumed search.
  kill_after("resume " + run_dir + " --quiet", run_dir, 6);
  run_to_end("resume " + run_dir);
  expect_same_log(reference(), run_dir);
}

TEST_F(Resume, RlSearchKilledAndResumedMatchesTheUninterruptedRun) {
  const std::string run_dir = dir("killed-rl");
  kill_after("run " + experiment(kReinforce) + " --out " + run_dir, run_dir, 3);
  run_to_end("resume " + run_dir);
  expect_same_log(reference(kReinforce), run_dir);
}

TEST_F(Resume, RlSearchOnEinspaceKilledAndResumedMatchesTheUninterruptedRun) {
  const std::string run_dir = dir("killed-rl-einspace");
  kill_after("run " + experiment(kReinforce, kEinspace) + " --out " + run_dir, run_dir, 3);
  run_to_end("resume " + run_dir);
  expect_same_log(reference(kReinforce, kEinspace), run_dir);
}

TEST_F(Resume, AConfirmingClimbKilledInsideAConfirmationsWriteThenResumedMatches) {
  const std::string run_dir = dir("killed-climb");
  // Trial 1 confirms trial 0 (the first result is always confirmed); die while recording it.
  const pid_t child = testing::spawn_nas("run " + experiment(kConfirmingClimb) + " --out " + run_dir + " --quiet",
                                         "NAS_FAULT_KILL_AT=trial:1");
  ASSERT_TRUE(testing::ended_by_signal(child));
  kill_after("resume " + run_dir + " --quiet", run_dir, 5);
  run_to_end("resume " + run_dir);
  const std::string reference_dir = reference(kConfirmingClimb);
  expect_same_log(reference_dir, run_dir);
  const std::vector<TrialRow> rows = SearchLog::open(reference_dir, SearchLog::Mode::read_only).trials();
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[1].arch_hash, rows[0].arch_hash);
  EXPECT_EQ(rows[1].reused_from, -1) << "a confirmation is a training of its own";
}

TEST_F(Resume, RaisingTheBudgetOfAFinishedSearchContinuesIt) {
  const std::string run_dir = dir("short");
  run_to_end("run " + experiment() + " --out " + run_dir + " --set budget.trials=6");
  EXPECT_EQ(testing::finished_trials(run_dir), 6);
  run_to_end("resume " + run_dir);  // its budget is spent: nothing happens
  EXPECT_EQ(testing::finished_trials(run_dir), 6);
  run_to_end("resume " + run_dir + " --set budget.trials=10");
  expect_same_log(reference(), run_dir);
  const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
  EXPECT_EQ(log.info().experiment_json["budget"]["trials"], 10) << "the log records the new budget";
}

TEST_F(Resume, SeveralWorkersKilledAndResumedKeepEveryTrialOnce) {
  const std::string run_dir = dir("parallel");
  const std::string args = "run " + experiment() + " --out " + run_dir + " --set evaluator.workers=2";
  kill_after(args, run_dir, 4);
  run_to_end("resume " + run_dir);
  const std::vector<TrialRow> rows = SearchLog::open(run_dir, SearchLog::Mode::read_only).trials();
  ASSERT_EQ(rows.size(), 10u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].id, static_cast<std::int64_t>(i));
    EXPECT_TRUE(rows[i].status == TrialStatus::done || rows[i].status == TrialStatus::failed) << i;
    EXPECT_EQ(rows[i].metrics.has_value(), rows[i].status == TrialStatus::done) << i;
  }
}

TEST_F(Resume, RefusesOverridesThatWouldMakeAnotherSearch) {
  const std::string run_dir = dir("short");
  run_to_end("run " + experiment() + " --out " + run_dir + " --set budget.trials=1");
  const Outcome outcome = nas_command("resume " + run_dir + " --set space.blocks=3");
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("--set space.blocks=3"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("budget.*"), std::string::npos) << outcome.output;
}

TEST_F(Resume, RefusesWhatIsNotARunAndLeavesItAsItWas) {
  EXPECT_NE(nas_command("resume " + dir("missing")).exit_code, 0);
  std::filesystem::create_directories(dir("plain"));
  Outcome outcome = nas_command("resume " + dir("plain"));
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("is not a run directory"), std::string::npos) << outcome.output;
  EXPECT_TRUE(std::filesystem::is_empty(dir("plain"))) << "nothing may be created in it";

  std::filesystem::create_directories(dir("garbage"));
  std::ofstream(dir("garbage") + "/search.db") << std::string(5000, 'z');
  outcome = nas_command("resume " + dir("garbage"));
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("not a SQLite database"), std::string::npos) << outcome.output;
  EXPECT_EQ(std::filesystem::file_size(dir("garbage") + "/search.db"), 5000u);
}

TEST_F(Resume, ASecondWriterIsRefusedWhileTheRunIsAlive) {
  const std::string run_dir = dir("busy");
  const pid_t child = testing::spawn_nas("run " + experiment() + " --out " + run_dir + " --quiet");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (testing::finished_trials(run_dir) < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const Outcome outcome = nas_command("resume " + run_dir);
  const Outcome inspect = nas_command("inspect " + run_dir);
  kill(child, SIGKILL);
  testing::ended_by_signal(child);
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("is being written by process " + std::to_string(child)), std::string::npos)
      << outcome.output;
  EXPECT_EQ(inspect.exit_code, 0) << "inspect reads while the run writes\n" << inspect.output;
}

// A second `nas run --out SAME` was refused as "already exists", without naming the run that writes it.
TEST_F(Resume, ASecondRunIntoALiveRunsDirectoryNamesTheHolder) {
  const std::string run_dir = dir("busy");
  const pid_t child = testing::spawn_nas("run " + experiment() + " --out " + run_dir + " --quiet");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (testing::finished_trials(run_dir) < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const Outcome outcome = nas_command("run " + experiment() + " --out " + run_dir);
  kill(child, SIGKILL);
  testing::ended_by_signal(child);
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("is being written by process " + std::to_string(child)), std::string::npos)
      << outcome.output;
}

}  // namespace
}  // namespace nas
