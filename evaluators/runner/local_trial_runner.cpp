// The "local" trial runner: `workers` trials at a time on worker threads of this process, each on its
// own budget of intra-op threads. Small candidates train faster side by side than with threads inside
// one model, so it parallelises across trials. Registered by name; nothing outside this file names
// the class, so other runners (MPI ranks) replace it without touching the run.
#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>

#include "core/error.hpp"
#include "core/io_error.hpp"
#include "core/thread_handoff.hpp"
#include "evaluators/evaluation/evaluator.hpp"
#include "evaluators/evaluation/trial_runner.hpp"

namespace nas {
namespace {

class LocalTrialRunner : public TrialRunner {
 public:
  LocalTrialRunner(const Evaluator& evaluator, const RunnerOptions& options)
      : evaluator_(evaluator),
        options_(options),
        limit_(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(options.workers) + 1),
        arena_(options.workers, 0) {}

  ~LocalTrialRunner() override {
    std::unique_lock<std::mutex> lock(mutex_);
    finished_signal_.wait(lock, [this] { return running_ == 0; });
  }

  void submit(TrialRequest request) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++in_flight_;
      ++running_;
    }
    // enqueue, not execute: execute would block this thread while every worker is busy.
    // TBB calls the functor as const, so the request is copied into run_one. The hand-over tells
    // ThreadSanitizer what TBB orders (core/thread_handoff.hpp): its token is static, and the runner is
    // captured as a named pointer, not as `this` (which clang reads on entry), so that the task reads
    // nothing it captured before the acquire.
    static char handoff_token;
    hand_over(&handoff_token, [&] {
      arena_.enqueue([runner = this, request = std::move(request)] {
        handoff_acquire(&handoff_token);
        runner->run_one(request);
      });
    });
  }

  TrialResult wait_next() override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (in_flight_ == 0) throw Error("trial runner", "wait_next called with no trial running");
    finished_signal_.wait(lock, [this] { return !finished_.empty() || machine_failure_; });
    return take_finished();
  }

  std::optional<TrialResult> wait_next_for(std::chrono::microseconds wait) override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (in_flight_ == 0) throw Error("trial runner", "wait_next_for called with no trial running");
    if (!finished_signal_.wait_for(lock, wait, [this] { return !finished_.empty() || machine_failure_; }))
      return std::nullopt;
    return take_finished();
  }

  std::size_t in_flight() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return in_flight_;
  }

  int capacity() const override { return options_.workers; }

 private:
  // With mutex_ held and a result waiting, or a machine failure to throw.
  TrialResult take_finished() {
    if (machine_failure_) std::rethrow_exception(machine_failure_);
    TrialResult result = std::move(finished_.front());
    finished_.pop_front();
    --in_flight_;
    return result;
  }

  void run_one(const TrialRequest& request) {
    // Intra-op threads are a per-thread setting of the OpenMP runtime under LibTorch: each worker
    // thread sets its own budget before it trains.
    at::set_num_threads(options_.threads_per_worker);
    const auto started = std::chrono::steady_clock::now();
    TrialResult result;
    result.id = request.id;
    std::exception_ptr machine_failure;
    try {
      Evaluation evaluation = evaluator_.evaluate(request);
      result.metrics = std::move(evaluation.metrics);
      result.offer = std::move(evaluation.offer);
      result.status = TrialStatus::done;
    } catch (const IoError&) {
      // Not the candidate's fault: the run stops (wait_next throws it) and the trial is not recorded.
      machine_failure = std::current_exception();
    } catch (const c10::Error& e) {
      result.error = e.what_without_backtrace();
    } catch (const std::exception& e) {
      result.error = e.what();
    } catch (...) {
      result.error = "unknown exception";
    }
    if (result.status == TrialStatus::failed)
      result.metrics.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::lock_guard<std::mutex> lock(mutex_);
    if (!machine_failure)
      finished_.push_back(std::move(result));
    else if (!machine_failure_)
      machine_failure_ = machine_failure;
    --running_;
    // Notified with the lock held: once running_ reaches 0 the destructor may return and destroy the
    // condition variable, and must not do so while this thread is still inside notify_all (a race
    // ThreadSanitizer found when the notify came after the unlock).
    finished_signal_.notify_all();
  }

  const Evaluator& evaluator_;
  RunnerOptions options_;
  // TBB caps its worker threads at the core count by default and keeps one arena slot for the thread
  // that submits; the runner wants exactly `workers` threads of its own while the run loop's thread
  // only submits and waits, hence the global limit and the zero reserved slots.
  tbb::global_control limit_;
  tbb::task_arena arena_;
  mutable std::mutex mutex_;
  std::condition_variable finished_signal_;
  std::deque<TrialResult> finished_;
  std::size_t in_flight_ = 0;  // submitted and not yet returned by wait_next
  std::size_t running_ = 0;    // submitted and not yet finished
  std::exception_ptr machine_failure_;  // the first IoError a trial met; every wait_next throws it
};

const bool registered = trial_runner_registry().add(
    kLocalRunner, [](const Evaluator& evaluator, const RunnerOptions& options) -> std::unique_ptr<TrialRunner> {
      return std::make_unique<LocalTrialRunner>(evaluator, options);
    });

}  // namespace
}  // namespace nas
