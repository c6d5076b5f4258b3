#pragma once
// Runs trials in parallel on one machine: `workers` trials at a time, each on its own budget of
// intra-op threads. Small candidates train faster side by side than with threads inside one model,
// so the pool parallelises across trials. No torch here; the run loop sees only trials.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

#include "core/config_node.hpp"
#include "core/trial.hpp"
#include "evaluators/evaluator.hpp"

namespace nas {

struct PoolOptions {
  int workers = 2;
  int threads_per_worker = 1;
};

// Reads `workers` and `threads_per_worker` from the evaluator section (the trainer reads the rest).
PoolOptions read_pool_options(const ConfigNode& evaluator_section);

class EvaluatorPool {
 public:
  EvaluatorPool(const Evaluator& evaluator, PoolOptions options);
  ~EvaluatorPool();  // waits for trials still running
  EvaluatorPool(const EvaluatorPool&) = delete;
  EvaluatorPool& operator=(const EvaluatorPool&) = delete;

  // Starts a trial; it must not already be running. Never blocks.
  void submit(Trial trial);
  // Blocks until some submitted trial ends; returns it as done (with metrics) or failed (with error).
  Trial wait_next();
  std::size_t in_flight() const;
  int workers() const { return options_.workers; }

 private:
  struct Arena;  // TBB state, kept out of this header
  void run_one(Trial trial);

  const Evaluator& evaluator_;
  PoolOptions options_;
  std::unique_ptr<Arena> arena_;
  mutable std::mutex mutex_;
  std::condition_variable finished_signal_;
  std::deque<Trial> finished_;
  std::size_t in_flight_ = 0;  // submitted and not yet returned by wait_next
  std::size_t running_ = 0;    // submitted and not yet finished
};

}  // namespace nas
