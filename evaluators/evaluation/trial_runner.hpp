#pragma once
// The seam between a run and where its trials train. A run submits requests and takes results back
// in the order they complete; it never learns whether a worker thread, another process or another
// machine trained them. The local pool of worker threads (runner/) is registered as "local". No
// torch here.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/config_node.hpp"
#include "core/registry.hpp"
#include "evaluators/evaluation/trial_request.hpp"

namespace nas {

class Evaluator;

// How many trials train at once, and how many intra-op threads each uses: the evaluator section's
// `workers` and `threads_per_worker`.
struct RunnerOptions {
  int workers = 2;
  int threads_per_worker = 1;
};

// Reads `workers` and `threads_per_worker` from the evaluator section (the evaluator reads the rest).
RunnerOptions read_runner_options(const ConfigNode& evaluator_section);

class TrialRunner {
 public:
  virtual ~TrialRunner() = default;  // waits for trials still running
  // Starts a trial; never blocks. Requests beyond capacity() wait their turn.
  virtual void submit(TrialRequest request) = 0;
  // Blocks until some submitted trial ends and returns its result: done (with metrics) or failed
  // (with the reason). A failing candidate fails its trial, never the runner. Throws nas::Error when
  // nothing is in flight.
  virtual TrialResult wait_next() = 0;
  // Submitted and not yet returned by wait_next().
  virtual std::size_t in_flight() const = 0;
  // Trials it trains at once.
  virtual int capacity() const = 0;
};

// Makes a runner for `evaluator`, which must outlive it.
using TrialRunnerFactory = std::function<std::unique_ptr<TrialRunner>(const Evaluator&, const RunnerOptions&)>;
Registry<TrialRunnerFactory>& trial_runner_registry();

// Worker threads of this process.
constexpr const char* kLocalRunner = "local";

// The runner registered as `kind`; throws nas::Error naming the kinds there are.
std::unique_ptr<TrialRunner> make_trial_runner(const std::string& kind, const Evaluator& evaluator,
                                               const RunnerOptions& options);

}  // namespace nas
