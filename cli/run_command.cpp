// `nas run FILE`: validate the experiment and run its phases: the search, then whatever the
// experiment asks for after it (`reevaluate:`).
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "cli/run_console.hpp"
#include "experiments/run/run.hpp"

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
            << " with " << config.runner.workers << " worker(s) x " << config.runner.threads_per_worker
            << " thread(s)\n";
  RunOptions options;
  options.dir = args.value("--out");
  options.console = run_console(args.has("--quiet"));
  return Run::start(std::move(experiment), options).go_on().exit_code;
}

const bool registered = command_registry().add(
    "run", Command{"nas run FILE [--out DIR] [--set key.path=value ...] [--quiet]",
                   "run the search an experiment file describes, then what it asks for after it", run_command});

}  // namespace
}  // namespace nas
