#pragma once
// What the kill-and-resume tests share: counting a run's finished trials while another process writes
// it, killing a `nas` process once a run has got so far, and comparing two runs' logs trial by trial.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "experiments/log/search_log.hpp"
#include "nas_process.hpp"

namespace nas::testing {

// Finished trials of the run in `run_dir`, read while another process may write it; 0 before its log exists.
inline std::int64_t finished_trials(const std::string& run_dir) {
  try {
    const TrialStatusCounts counts = SearchLog::open(run_dir, SearchLog::Mode::read_only).status_counts();
    return counts.done + counts.failed;
  } catch (const Error&) {
    return 0;
  }
}

// Starts `nas ARGS` and SIGKILLs it once `run_dir` holds at least `trials` finished trials.
inline void kill_after(const std::string& args, const std::string& run_dir, std::int64_t trials) {
  const pid_t child = spawn_nas(args);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  while (finished_trials(run_dir) < trials && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  kill(child, SIGKILL);
  ASSERT_TRUE(ended_by_signal(child)) << "nas finished before it could be killed: " << args;
}

// The bytes of the record `key` that `owner` keeps in the run state of the log in `run_dir` (the
// supernet's "weights", for one); empty when there is none.
inline std::string run_state_record(const std::string& run_dir, const std::string& owner, const std::string& key) {
  for (const StateRecord& record : SearchLog::open(run_dir, SearchLog::Mode::read_only).run_state(owner))
    if (record.key == key) return record.bytes;
  return "";
}

// Same trials, in the same order, with the same architectures, seeds and metrics (every reported
// figure too); none lost or doubled.
inline void expect_same_log(const std::string& expected_dir, const std::string& actual_dir) {
  const std::vector<TrialRow> expected = SearchLog::open(expected_dir, SearchLog::Mode::read_only).trials();
  const std::vector<TrialRow> actual = SearchLog::open(actual_dir, SearchLog::Mode::read_only).trials();
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("trial " + std::to_string(i));
    EXPECT_EQ(actual[i].id, static_cast<std::int64_t>(i));
    EXPECT_EQ(actual[i].arch_hash, expected[i].arch_hash);
    EXPECT_EQ(actual[i].seed, expected[i].seed);
    EXPECT_EQ(actual[i].status, expected[i].status);
    EXPECT_EQ(actual[i].reused_from, expected[i].reused_from);
    ASSERT_EQ(actual[i].metrics.has_value(), expected[i].metrics.has_value());
    if (expected[i].metrics) {
      EXPECT_EQ(actual[i].metrics->val_accuracy, expected[i].metrics->val_accuracy);
      EXPECT_EQ(actual[i].metrics->val_loss, expected[i].metrics->val_loss);
      EXPECT_EQ(actual[i].metrics->params, expected[i].metrics->params);
      EXPECT_EQ(actual[i].metrics->reported, expected[i].metrics->reported);
    }
  }
}

}  // namespace nas::testing
