// A weight-sharing run (a supernet trained before the search, sub-networks scored with the weights
// they inherit) killed while the supernet trains and resumed ends with the same supernet, bit for bit,
// and the same search as the run never interrupted: each epoch is checkpointed with the supernet's
// weights, optimizer and progress, and an epoch's randomness derives from the seed and its number.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "run_comparison.hpp"
#include "tests/support/scratch.hpp"

namespace nas {
namespace {

using testing::nas_command;
using testing::Outcome;

// Epochs the supernet phase has checkpointed, read while another process may write the log.
int supernet_epochs_done(const std::string& run_dir) {
  try {
    for (const PhaseRow& row : SearchLog::open(run_dir, SearchLog::Mode::read_only).phases())
      if (row.name == "supernet" && row.state.is_object()) return row.state.value("epochs_done", 0);
  } catch (const Error&) {
  }
  return 0;
}

class SupernetResume : public testing::ScratchDirTest {
 protected:
  // The SPOS example, one worker, small enough for a test: 3 epochs of 32 steps, then 8 trials.
  static std::string args(const std::string& out) {
    return "run " NAS_SOURCE_DIR "/experiments/examples/nb201_spos_fashion_mnist.yaml --quiet --out " + out +
           " --set dataset.train_subset=2048 --set dataset.validation=256 --set space.channels=4"
           " --set supernet.epochs=3 --set evaluator.workers=1 --set budget.trials=8"
           " --set controller.population=4 --set controller.parents=2 --set controller.mutants=2"
           " --set controller.crossovers=2";
  }
};

TEST_F(SupernetResume, KilledMidEpochAndResumedEndsWithTheUninterruptedSupernet) {
  const std::string reference = dir("reference");
  const Outcome uninterrupted = nas_command(args(reference));
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.output;
  EXPECT_EQ(supernet_epochs_done(reference), 3);

  // SIGKILL during the second epoch: after the first epoch's checkpoint, before the second's.
  const std::string run_dir = dir("killed");
  const pid_t child = testing::spawn_nas(args(run_dir));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  while (supernet_epochs_done(run_dir) < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  kill(child, SIGKILL);
  ASSERT_TRUE(testing::ended_by_signal(child));
  const int done_at_kill = supernet_epochs_done(run_dir);
  EXPECT_GE(done_at_kill, 1);
  EXPECT_LT(done_at_kill, 3) << "the kill came after the supernet finished; the test needs longer epochs";
  EXPECT_EQ(testing::finished_trials(run_dir), 0);

  const Outcome resumed = nas_command("resume " + run_dir + " --quiet");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(supernet_epochs_done(run_dir), 3);
  EXPECT_TRUE(testing::run_state_record(run_dir, "supernet", "weights") == testing::run_state_record(reference, "supernet", "weights"))
      << "the resumed supernet's weights differ from the uninterrupted run's";
  testing::expect_same_log(reference, run_dir);
}

TEST_F(SupernetResume, KilledInsideAnEpochsCheckpointResumesFromThePreviousEpoch) {
  const std::string reference = dir("reference");
  ASSERT_EQ(nas_command(args(reference)).exit_code, 0);
  // Killed inside the transaction of the second epoch's checkpoint: the log keeps the first epoch.
  const std::string run_dir = dir("killed");
  const pid_t child = testing::spawn_nas(args(run_dir), "NAS_FAULT_KILL_AT=phase-checkpoint:1");
  ASSERT_TRUE(testing::ended_by_signal(child));
  EXPECT_EQ(supernet_epochs_done(run_dir), 1);
  const Outcome resumed = nas_command("resume " + run_dir + " --quiet");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_TRUE(testing::run_state_record(run_dir, "supernet", "weights") == testing::run_state_record(reference, "supernet", "weights"));
  testing::expect_same_log(reference, run_dir);
}

TEST_F(SupernetResume, MoreEpochsAskedOnResumeTrainTheSupernetFurther) {
  const std::string run_dir = dir("run");
  ASSERT_EQ(nas_command(args(run_dir) + " --set supernet.epochs=1 --set budget.trials=4").exit_code, 0);
  EXPECT_EQ(supernet_epochs_done(run_dir), 1);
  const std::string weights_after_one = testing::run_state_record(run_dir, "supernet", "weights");
  const Outcome resumed = nas_command("resume " + run_dir + " --quiet --set supernet.epochs=2");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(supernet_epochs_done(run_dir), 2);
  EXPECT_FALSE(testing::run_state_record(run_dir, "supernet", "weights") == weights_after_one);
  EXPECT_EQ(testing::finished_trials(run_dir), 4);  // the search's budget was spent; nothing more to run
}

}  // namespace
}  // namespace nas
