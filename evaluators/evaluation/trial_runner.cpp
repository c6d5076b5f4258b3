#include "evaluators/evaluation/trial_runner.hpp"

#include <algorithm>
#include <thread>

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace nas {

RunnerOptions read_runner_options(const ConfigNode& evaluator_section) {
  RunnerOptions options;
  options.workers = static_cast<int>(evaluator_section.integer("workers", options.workers, 1, 1024));
  // More intra-op threads than the machine has cores only makes them wait for each other (and a
  // thousand took minutes to start before the first trial): bounded by this machine's cores.
  const long cores = std::max(1u, std::thread::hardware_concurrency());
  options.threads_per_worker =
      static_cast<int>(evaluator_section.integer("threads_per_worker", options.threads_per_worker, 1, 1024));
  if (options.threads_per_worker > cores)
    throw evaluator_section.error("threads_per_worker",
                                  "is " + std::to_string(options.threads_per_worker) + ", more than the " +
                                      std::to_string(cores) + " cores this machine has; accepted: 1 to " +
                                      std::to_string(cores) + " (evaluator.workers trains trials side by side)");
  return options;
}

void read_runner_section(const ConfigNode& runner_section, RunnerOptions& options) {
  options.heartbeat_seconds = runner_section.number("heartbeat_seconds", options.heartbeat_seconds, 0.05, 3600);
  options.lost_after_seconds = runner_section.number("lost_after_seconds", options.lost_after_seconds, 0.1, 86400);
  if (options.lost_after_seconds < 2 * options.heartbeat_seconds)
    throw runner_section.error("lost_after_seconds", "must be at least twice heartbeat_seconds (" +
                                                         std::to_string(options.heartbeat_seconds) +
                                                         "), or a rank that is only slow to speak is taken as lost");
  runner_section.finish();
}

namespace {
std::string& runner_kind() {
  static std::string kind = kLocalRunner;
  return kind;
}
}  // namespace

const std::string& process_runner_kind() { return runner_kind(); }
void set_process_runner_kind(const std::string& kind) { runner_kind() = kind; }

Registry<TrialRunnerFactory>& trial_runner_registry() {
  static Registry<TrialRunnerFactory> registry;
  return registry;
}

std::unique_ptr<TrialRunner> make_trial_runner(const std::string& kind, const Evaluator& evaluator,
                                               const RunnerOptions& options) {
  const TrialRunnerFactory* factory = trial_runner_registry().find(kind);
  if (!factory) throw Error("trial runner", "no runner '" + kind + "'; " + accepted_list(kind, trial_runner_registry().names()));
  return (*factory)(evaluator, options);
}

}  // namespace nas
