#include "evaluators/pool.hpp"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <chrono>

namespace nas {

// TBB caps its worker threads at the core count by default and keeps one arena slot for the thread
// that submits; the pool wants exactly `workers` threads of its own while the run loop's thread
// only submits and waits, hence the global limit and the zero reserved slots.
struct EvaluatorPool::Arena {
  explicit Arena(int workers)
      : limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(workers) + 1),
        arena(workers, 0) {}
  tbb::global_control limit;
  tbb::task_arena arena;
};

PoolOptions read_pool_options(const ConfigNode& evaluator_section) {
  PoolOptions options;
  options.workers = static_cast<int>(evaluator_section.integer("workers", 2, 1, 1024));
  options.threads_per_worker = static_cast<int>(evaluator_section.integer("threads_per_worker", 1, 1, 1024));
  return options;
}

EvaluatorPool::EvaluatorPool(const Evaluator& evaluator, PoolOptions options)
    : evaluator_(evaluator), options_(options), arena_(std::make_unique<Arena>(options.workers)) {}

EvaluatorPool::~EvaluatorPool() {
  std::unique_lock<std::mutex> lock(mutex_);
  finished_signal_.wait(lock, [this] { return running_ == 0; });
}

void EvaluatorPool::submit(Trial trial) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++in_flight_;
    ++running_;
  }
  // enqueue, not execute: execute would block this thread while every worker is busy.
  // TBB calls the functor as const, so the trial is copied into run_one.
  arena_->arena.enqueue([this, trial = std::move(trial)] { run_one(trial); });
}

void EvaluatorPool::run_one(Trial trial) {
  // Intra-op threads are a per-thread setting of the OpenMP runtime under LibTorch: each worker
  // thread sets its own budget before it trains.
  at::set_num_threads(options_.threads_per_worker);
  const auto started = std::chrono::steady_clock::now();
  try {
    trial.metrics = evaluator_.evaluate(trial.arch, trial.seed, trial.weights_file);
    trial.status = TrialStatus::done;
  } catch (const c10::Error& e) {
    trial.status = TrialStatus::failed;
    trial.error = e.what_without_backtrace();
  } catch (const std::exception& e) {
    trial.status = TrialStatus::failed;
    trial.error = e.what();
  } catch (...) {
    trial.status = TrialStatus::failed;
    trial.error = "unknown exception";
  }
  if (trial.status == TrialStatus::failed)
    trial.metrics.train_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_.push_back(std::move(trial));
    --running_;
  }
  finished_signal_.notify_all();
}

Trial EvaluatorPool::wait_next() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (in_flight_ == 0) throw Error("", "EvaluatorPool::wait_next called with no trial running");
  finished_signal_.wait(lock, [this] { return !finished_.empty(); });
  Trial trial = std::move(finished_.front());
  finished_.pop_front();
  --in_flight_;
  return trial;
}

std::size_t EvaluatorPool::in_flight() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return in_flight_;
}

}  // namespace nas
