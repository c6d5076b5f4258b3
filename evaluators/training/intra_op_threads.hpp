#pragma once
// The intra-op threads the calling thread's LibTorch work uses, for work a run does on its own thread
// (training the supernet, retraining the best sub-networks): the run's whole budget, evaluator.workers x
// evaluator.threads_per_worker, since no trial trains beside it. LibTorch's default follows the
// machine and the environment instead (1 where OMP_NUM_THREADS=1), which would leave cores idle.
// No torch here.
namespace nas {

class IntraOpThreadsScope {
 public:
  // Sets `threads` (at least 1) for the calling thread; the destructor puts back what was set before.
  explicit IntraOpThreadsScope(int threads);
  ~IntraOpThreadsScope();
  IntraOpThreadsScope(const IntraOpThreadsScope&) = delete;
  IntraOpThreadsScope& operator=(const IntraOpThreadsScope&) = delete;

 private:
  int previous_;
};

}  // namespace nas
