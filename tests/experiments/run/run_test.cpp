// A run as an ordered list of phases recorded in its log: what `nas run` records, what `nas resume`
// continues and reopens, and a phase of another kind (as a supernet's training will be) fitting the
// same run loop, checkpointing its own state and continuing from it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/error.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/run/phase.hpp"
#include "experiments/run/run.hpp"
#include "tests/support/scratch.hpp"

namespace nas {
namespace {

using testing::error_of;

std::string example() { return NAS_SOURCE_DIR "/experiments/examples/nb201_tabular.yaml"; }
std::string table() { return NAS_SHARED_DIR "/datasets/nasbench201/nb201.csv"; }

std::string file_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// A phase before the search that counts to `warmup_steps`, checkpointing its count after each step
// in the log, and whose step `fail_at` throws once (a crash in the middle of it): the shape of a
// supernet's training, checkpointed mid-epoch, without its cost.
int fail_at = -1;
int steps_run = 0;
class WarmupPhase : public Phase {
 public:
  PhaseEnd run(PhaseContext& context) override {
    int done = 0;
    for (const PhaseRow& row : context.log.phases())
      if (row.name == "test-warmup" && !row.state.is_null()) done = row.state.at("steps").get<int>();
    for (int step = done; step < 5; ++step) {
      ++steps_run;
      if (step == fail_at) {
        fail_at = -1;
        throw Error("test-warmup", "interrupted at step " + std::to_string(step));
      }
      context.log.checkpoint_phase("test-warmup", Json{{"steps", step + 1}}, {});
    }
    PhaseEnd end;
    end.summary = Json{{"steps_this_session", 5 - done}};
    return end;
  }
};
const bool registered = phase_registry().add(
    "test-warmup", PhaseKind{10, [](const ExperimentConfig& config) { return config.name == "with-warmup"; }, {},
                             [] { return std::make_unique<WarmupPhase>(); }});

class RunPhases : public testing::ScratchDirTest {
 protected:
  Experiment experiment(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> overrides = {"evaluator.table=" + table(), "budget.trials=12"};
    overrides.insert(overrides.end(), extra.begin(), extra.end());
    return load_experiment_file(example(), overrides);
  }
  std::vector<PhaseRow> phases(const std::string& run) const {
    return SearchLog::open(run, SearchLog::Mode::read_only).phases();
  }
};

TEST_F(RunPhases, ANewRunRecordsItsPhasesAndEndsWithTheSearchsOutcome) {
  RunOptions options;
  options.dir = dir("run");
  const RunOutcome outcome = nas::Run::start(experiment(), options).go_on();
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_EQ(outcome.summaries.at("search").at("trials"), 12);
  const std::vector<PhaseRow> logged = phases(dir("run"));
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].name, "search");
  EXPECT_EQ(logged[0].status, PhaseStatus::done);
  EXPECT_EQ(logged[0].outcome, "finished");
  EXPECT_TRUE(logged[0].started_at && logged[0].finished_at);
  EXPECT_EQ(SearchLog::open(dir("run"), SearchLog::Mode::read_only).info().status, "finished");
}

TEST_F(RunPhases, ResumingADoneRunDoesNothingAndWritesNothing) {
  RunOptions options;
  options.dir = dir("run");
  nas::Run::start(experiment(), options).go_on();
  const std::string before = file_bytes(dir("run") + "/search.db");
  std::ostringstream notes;
  RunConsole console;
  console.notes = &notes;
  const RunOutcome outcome = nas::Run::resume(dir("run"), {}, console).go_on();
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_TRUE(outcome.summaries.empty());
  EXPECT_NE(notes.str().find("every phase of this run is done"), std::string::npos) << notes.str();
  EXPECT_NE(notes.str().find("budget.*"), std::string::npos) << notes.str();
  EXPECT_EQ(file_bytes(dir("run") + "/search.db"), before);
}

TEST_F(RunPhases, ALargerBudgetReopensTheSearchAndOnlyTheSearch) {
  RunOptions options;
  options.dir = dir("run");
  nas::Run::start(experiment(), options).go_on();
  const RunOutcome more = nas::Run::resume(dir("run"), {"budget.trials=20"}, {}).go_on();
  EXPECT_EQ(more.summaries.at("search").at("trials"), 20);
  EXPECT_EQ(phases(dir("run"))[0].status, PhaseStatus::done);
  EXPECT_EQ(SearchLog::open(dir("run"), SearchLog::Mode::read_only).trials().size(), 20u);
  // A worker count is no reason to search again.
  EXPECT_TRUE(nas::Run::resume(dir("run"), {"evaluator.workers=2"}, {}).go_on().summaries.empty());
}

TEST_F(RunPhases, ARefusedResumeLeavesEveryFileAsItWas) {
  RunOptions options;
  options.dir = dir("run");
  nas::Run::start(experiment(), options).go_on();
  const std::string before = file_bytes(dir("run") + "/search.db");
  EXPECT_NE(error_of([&] { nas::Run::resume(dir("run"), {"space.channels=8"}, {}); }).find("cannot change when a search resumes"),
            std::string::npos);
  // Refused after the log is open: the budget reopens the search, but the worker count is out of range.
  EXPECT_NE(error_of([&] { nas::Run::resume(dir("run"), {"budget.trials=30", "evaluator.workers=0"}, {}); })
                .find("evaluator.workers"),
            std::string::npos);
  EXPECT_EQ(file_bytes(dir("run") + "/search.db"), before);
  EXPECT_FALSE(std::filesystem::exists(dir("run") + "/search.db-journal"));
}

TEST_F(RunPhases, APhaseOfAnotherKindRunsInItsPlaceAndContinuesFromItsOwnCheckpoint) {
  RunOptions options;
  options.dir = dir("run");
  fail_at = 3;
  steps_run = 0;
  {
    nas::Run run = nas::Run::start(experiment({"name=with-warmup"}), options);
    EXPECT_NE(error_of([&] { run.go_on(); }).find("interrupted at step 3"), std::string::npos);
  }  // the process that crashed lets go of the run
  {
    const std::vector<PhaseRow> logged = phases(dir("run"));
    ASSERT_EQ(logged.size(), 2u);
    EXPECT_EQ(logged[0].name, "test-warmup") << "position 10 comes before the search's 20";
    EXPECT_EQ(logged[0].status, PhaseStatus::running);
    EXPECT_EQ(logged[0].state.at("steps"), 3) << "its last checkpoint";
    EXPECT_EQ(logged[1].status, PhaseStatus::pending);
    EXPECT_TRUE(SearchLog::open(dir("run"), SearchLog::Mode::read_only).trials().empty());
  }
  const RunOutcome resumed = nas::Run::resume(dir("run"), {}, {}).go_on();
  EXPECT_EQ(resumed.summaries.at("test-warmup").at("steps_this_session"), 2) << "steps 3 and 4, not from 0";
  EXPECT_EQ(steps_run, 4 + 2);
  EXPECT_EQ(resumed.summaries.at("search").at("trials"), 12);
  for (const PhaseRow& phase : phases(dir("run"))) EXPECT_EQ(phase.status, PhaseStatus::done) << phase.name;
}

}  // namespace
}  // namespace nas
