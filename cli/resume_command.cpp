// `nas resume DIR`: continue a search from its log, after a crash or with a larger budget, and then
// the re-evaluation its experiment asks for (`reevaluate:`), training only the repeats not yet logged.
#include <iostream>
#include <optional>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "cli/reevaluation_report.hpp"
#include "cli/run_outcome.hpp"
#include "experiments/search_resume.hpp"

namespace nas {
namespace {

int resume_command(const std::vector<std::string>& raw) {
  const Arguments args(raw,
                       {{"--set", true, "budget.*, reevaluate.* or evaluator.workers/threads_per_worker=value"},
                        {"--quiet", false, "no progress line"}},
                       "resume");
  const bool quiet = args.has("--quiet");
  RunResult result;
  std::optional<ReevaluationPlan> plan;
  {
    ResumedSearch resumed = prepare_resume(args.single_positional("run DIR"), args.all("--set"));
    const ExperimentConfig& config = resumed.experiment.config;
    const SearchStart& start = resumed.start;
    std::cerr << "nas: resuming " << config.name << ": " << start.done << " of " << config.budget.trials
              << " trials finished, " << start.requeue.size() << " to run again, " << resumed.discarded
              << " to propose again; " << config.pool.workers << " worker(s) x " << config.pool.threads_per_worker
              << " thread(s)\n";
    if (start.requeue.empty() && start.next_id >= config.budget.trials)
      std::cerr << "nas: the budget of " << config.budget.trials
                << " trials is spent; raise it with --set budget.trials=N to search further\n";
    result = run_search(resumed.experiment, resumed.log, start, progress_options(quiet));
    plan = config.reevaluation;
  }  // closes the log and lets go of the run's lock: the re-evaluation opens the log itself
  const int code = report_run_outcome(result);
  // A re-evaluation cut short goes on from its recorded repeats.
  if (code == 0 && plan) reevaluate_after_search(*plan, result.dir, quiet);
  return code;
}

const bool registered = command_registry().add(
    "resume", Command{"nas resume DIR [--set budget.trials=N ...] [--quiet]",
                      "continue a search from its log: after a crash, or with a larger budget; then its "
                      "re-evaluation, if the experiment has one",
                      resume_command});

}  // namespace
}  // namespace nas
