// The local trial runner through the seam every runner implements: results in completion order, a
// failing candidate failing its trial alone, capacity and in-flight counts, shared weights reaching
// the evaluation read-only and its offer coming back.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "evaluators/evaluation/evaluator.hpp"
#include "evaluators/evaluation/trial_runner.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/toy_space.hpp"

namespace nas {
namespace {

class Note : public SharedWeightsView {
 public:
  explicit Note(std::string text) : text(std::move(text)) {}
  std::string kind() const override { return "note"; }
  std::vector<StateRecord> records() const override { return {StateRecord{"text", text}}; }
  const std::string text;
};

// A seed that makes the evaluation wait until the test opens the gate (at most 5 s).
constexpr std::uint64_t kGated = 999;

// Sleeps for the request's seed in milliseconds (or waits at the gate), fails on seed 13, and offers
// back what it saw.
class SleepyEvaluator : public Evaluator {
 public:
  Evaluation evaluate(const TrialRequest& request) const override {
    const int now = ++running_;
    int seen = most_at_once_.load();
    while (now > seen && !most_at_once_.compare_exchange_weak(seen, now)) {
    }
    if (request.seed == kGated) {
      std::unique_lock<std::mutex> lock(gate_mutex_);
      gate_.wait_for(lock, std::chrono::seconds(5), [this] { return open_; });
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(request.seed));
    }
    --running_;
    if (request.seed == 13) throw TrialFailure("unlucky seed");
    Evaluation evaluation;
    evaluation.metrics.val_accuracy = static_cast<double>(request.seed) / 1000.0;
    if (request.shared_weights)
      evaluation.offer.push_back({"seen", dynamic_cast<const Note&>(*request.shared_weights).text});
    return evaluation;
  }
  int most_at_once() const { return most_at_once_; }
  void open_gate() {
    {
      std::lock_guard<std::mutex> lock(gate_mutex_);
      open_ = true;
    }
    gate_.notify_all();
  }

 private:
  mutable std::mutex gate_mutex_;
  mutable std::condition_variable gate_;
  bool open_ = false;
  mutable std::atomic<int> running_{0};
  mutable std::atomic<int> most_at_once_{0};
};

RunnerOptions runner_options(int workers, int threads_per_worker) {
  RunnerOptions options;
  options.workers = workers;
  options.threads_per_worker = threads_per_worker;
  return options;
}

TrialRequest request(std::int64_t id, std::uint64_t sleep_ms) { return TrialRequest{id, Architecture(), sleep_ms, "", nullptr}; }

TEST(LocalRunner, ReturnsResultsInTheOrderTheyComplete) {
  SleepyEvaluator evaluator;
  const auto runner = make_trial_runner(kLocalRunner, evaluator, runner_options(2, 1));
  EXPECT_EQ(runner->capacity(), 2);
  runner->submit(request(0, kGated));  // ends only once the test has taken trial 1's result
  runner->submit(request(1, 1));
  EXPECT_EQ(runner->in_flight(), 2u);
  EXPECT_EQ(runner->wait_next().id, 1) << "the trial that ended first comes first";
  evaluator.open_gate();
  EXPECT_EQ(runner->wait_next().id, 0);
  EXPECT_EQ(runner->in_flight(), 0u);
}

TEST(LocalRunner, TrainsAtMostCapacityAtOnceAndQueuesTheRest) {
  SleepyEvaluator evaluator;
  const auto runner = make_trial_runner(kLocalRunner, evaluator, runner_options(2, 1));
  // Every trial waits at the gate, so that both workers are busy at once however slowly the machine
  // starts its threads (a timed sleep made this test flaky under ThreadSanitizer on a loaded machine);
  // the gate opens once two run, after a moment in which a third would have started if it could.
  for (int i = 0; i < 6; ++i) runner->submit(request(i, kGated));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  while (evaluator.most_at_once() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  evaluator.open_gate();
  std::set<std::int64_t> ids;
  while (runner->in_flight() > 0) ids.insert(runner->wait_next().id);
  EXPECT_EQ(ids.size(), 6u);
  EXPECT_EQ(evaluator.most_at_once(), 2);
}

TEST(LocalRunner, AFailingCandidateFailsItsTrialAloneWithTheReason) {
  SleepyEvaluator evaluator;
  const auto runner = make_trial_runner(kLocalRunner, evaluator, runner_options(1, 1));
  runner->submit(request(0, 13));
  runner->submit(request(1, 5));
  std::map<std::int64_t, TrialResult> results;
  for (int i = 0; i < 2; ++i) {
    TrialResult result = runner->wait_next();
    results.emplace(result.id, std::move(result));
  }
  const TrialResult& failed = results.at(0);
  EXPECT_EQ(failed.status, TrialStatus::failed);
  EXPECT_EQ(failed.error, "unlucky seed");
  EXPECT_GT(failed.metrics.train_seconds, 0.0) << "how long it ran before failing";
  const TrialResult& done = results.at(1);
  EXPECT_EQ(done.status, TrialStatus::done);
  EXPECT_DOUBLE_EQ(done.metrics.val_accuracy, 0.005);
}

TEST(LocalRunner, TheEvaluationSeesTheRequestsSharedWeightsAndItsOfferComesBack) {
  SleepyEvaluator evaluator;
  const auto runner = make_trial_runner(kLocalRunner, evaluator, runner_options(1, 1));
  TrialRequest with = request(0, 1);
  with.shared_weights = std::make_shared<Note>("v1");
  runner->submit(with);
  runner->submit(request(1, 1));
  std::map<std::int64_t, TrialResult> results;
  for (int i = 0; i < 2; ++i) {
    TrialResult result = runner->wait_next();
    results.emplace(result.id, std::move(result));
  }
  ASSERT_EQ(results.at(0).offer.size(), 1u);
  EXPECT_EQ(results.at(0).offer[0].bytes, "v1");
  EXPECT_TRUE(results.at(1).offer.empty()) << "no shared weights in the request, nothing offered";
}

TEST(LocalRunner, WaitingABoundedTimeGivesNothingUntilATrialEnds) {
  SleepyEvaluator evaluator;
  const auto runner = make_trial_runner(kLocalRunner, evaluator, runner_options(1, 1));
  runner->submit(request(1, kGated));
  EXPECT_FALSE(runner->wait_next_for(std::chrono::milliseconds(50)).has_value()) << "the gated trial is still running";
  EXPECT_EQ(runner->in_flight(), 1u);
  evaluator.open_gate();
  const std::optional<TrialResult> result = runner->wait_next_for(std::chrono::seconds(5));
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->id, 1);
  EXPECT_EQ(runner->in_flight(), 0u);
}

TEST(LocalRunner, WaitingWithNothingInFlightIsAnError) {
  SleepyEvaluator evaluator;
  const auto runner = make_trial_runner(kLocalRunner, evaluator, runner_options(1, 1));
  EXPECT_THROW(runner->wait_next(), Error);
}

TEST(TrialRunnerRegistry, AnUnknownRunnerIsNamedWithTheKnownOnes) {
  SleepyEvaluator evaluator;
  const std::string error = testing::error_of([&] { make_trial_runner("lokal", evaluator, RunnerOptions{}); });
  EXPECT_NE(error.find("no runner 'lokal'"), std::string::npos) << error;
  EXPECT_NE(error.find("local"), std::string::npos) << error;
}

}  // namespace
}  // namespace nas
