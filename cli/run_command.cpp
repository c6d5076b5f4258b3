// `nas run FILE`: validate the experiment, search, print the best architecture; then, with a
// `reevaluate:` section, re-evaluate the best trials and print the choice.
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "cli/reevaluation_report.hpp"
#include "cli/run_outcome.hpp"

namespace nas {
namespace {

int run_command(const std::vector<std::string>& raw) {
  const Arguments args(raw,
                       {{"--out", true, "run directory (default runs/<name>-<time>)"},
                        {"--set", true, "key.path=value, overrides the experiment file"},
                        {"--quiet", false, "no progress line"}},
                       "run");
  Experiment experiment = load_experiment_file(args.single_positional("experiment FILE"), args.all("--set"));
  const ExperimentConfig& config = experiment.config;
  std::cerr << "nas: " << config.name << ": " << config.budget.trials << " trials on " << experiment.space->name()
            << " with " << config.pool.workers << " worker(s) x " << config.pool.threads_per_worker << " thread(s)\n";

  const bool quiet = args.has("--quiet");
  RunOptions options = progress_options(quiet);
  options.dir = args.value("--out");
  const RunResult result = run_search(experiment, options);
  const int code = report_run_outcome(result);
  if (code == 0 && config.reevaluation) reevaluate_after_search(*config.reevaluation, result.dir, quiet);
  return code;
}

const bool registered = command_registry().add(
    "run", Command{"nas run FILE [--out DIR] [--set key.path=value ...] [--quiet]",
                   "run the search an experiment file describes", run_command});

}  // namespace
}  // namespace nas
