#include "evaluators/evaluation/trial_runner.hpp"

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace nas {

RunnerOptions read_runner_options(const ConfigNode& evaluator_section) {
  RunnerOptions options;
  options.workers = static_cast<int>(evaluator_section.integer("workers", options.workers, 1, 1024));
  options.threads_per_worker =
      static_cast<int>(evaluator_section.integer("threads_per_worker", options.threads_per_worker, 1, 1024));
  return options;
}

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
