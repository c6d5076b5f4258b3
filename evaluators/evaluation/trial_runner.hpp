#pragma once
// The seam between a run and where its trials train. A run submits requests and takes results back
// in the order they complete; it never learns whether a worker thread, another process or another
// machine trained them. The local pool of worker threads (runner/) is registered as "local", the
// ranks of an MPI job as "mpi". No torch here.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/config_node.hpp"
#include "core/registry.hpp"
#include "evaluators/evaluation/trial_request.hpp"

namespace nas {

class Evaluator;

// How a process that holds none of the run's objects makes the evaluator a runner was given: the
// experiment's sections it was made from ({"space", "dataset", "evaluator", "supernet"}, as the
// effective configuration holds them) and the experiment seed. The ranks of an MPI job make theirs so.
struct EvaluatorRecipe {
  Json sections = Json::object();
  std::uint64_t seed = 0;
};

// How many trials train at once, and how many intra-op threads each uses: the evaluator section's
// `workers` and `threads_per_worker` (per machine, on MPI). The optional `runner:` section tunes how
// rank 0 watches the other ranks of an MPI job.
struct RunnerOptions {
  int workers = 2;
  int threads_per_worker = 1;
  double heartbeat_seconds = 2;     // how often a rank that trains says it is alive
  double lost_after_seconds = 60;   // silence after which rank 0 takes a rank as lost and requeues its trials
  EvaluatorRecipe recipe;           // what other processes make the evaluator from
  std::string continue_command;     // what continues the run after the runner gives up, for its message
};

// Reads `workers` and `threads_per_worker` from the evaluator section (the evaluator reads the rest).
RunnerOptions read_runner_options(const ConfigNode& evaluator_section);
// Reads the `runner:` section (heartbeat_seconds, lost_after_seconds) into `options` and finishes it.
void read_runner_section(const ConfigNode& runner_section, RunnerOptions& options);

class TrialRunner {
 public:
  virtual ~TrialRunner() = default;  // waits for trials still running
  // Starts a trial; never blocks. Requests beyond capacity() wait their turn.
  virtual void submit(TrialRequest request) = 0;
  // Blocks until some submitted trial ends and returns its result: done (with metrics) or failed
  // (with the reason). A failing candidate fails its trial, never the runner. A trial that met an
  // IoError (core/io_error.hpp: a write of this machine failed) has not failed: the error is thrown
  // from here, and that trial is never returned (a resume trains it again). Throws nas::Error when
  // nothing is in flight.
  virtual TrialResult wait_next() = 0;
  // The same, waiting at most `wait`: nothing when no trial ended by then.
  virtual std::optional<TrialResult> wait_next_for(std::chrono::microseconds wait) = 0;
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
// The other ranks of the MPI job this process is rank 0 of.
constexpr const char* kMpiRunner = "mpi";

// The runner a run's phases use in this process: kLocalRunner, unless the program was started as rank
// 0 of an MPI job of several ranks and said so (cli/main.cpp).
const std::string& process_runner_kind();
void set_process_runner_kind(const std::string& kind);

// The runner registered as `kind`; throws nas::Error naming the kinds there are.
std::unique_ptr<TrialRunner> make_trial_runner(const std::string& kind, const Evaluator& evaluator,
                                               const RunnerOptions& options);

}  // namespace nas
