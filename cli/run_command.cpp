// `nas run FILE`: validate the experiment, search, print the best architecture.
#include <unistd.h>

#include <iomanip>
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "experiments/progress_line.hpp"
#include "experiments/search_run.hpp"

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

  RunOptions options;
  options.dir = args.value("--out");
  if (!args.has("--quiet")) {
    options.progress = &std::cerr;
    options.progress_in_place = isatty(STDERR_FILENO) != 0;
  }
  const RunResult result = run_search(experiment, options);

  std::cout << "run directory: " << result.dir << "\n"
            << "trials: " << result.trials << " (" << result.failed << " failed, " << result.reused
            << " reused earlier results) in " << format_duration(result.wall_seconds) << "\n";
  if (!result.best) {
    std::cout << "no trial succeeded; see `nas inspect " << result.dir << "` for the errors\n";
    return 1;
  }
  const Trial& best = *result.best;
  std::cout << std::fixed << std::setprecision(4) << "best: trial " << best.id << "  val_accuracy "
            << best.metrics.val_accuracy << "  val_loss " << best.metrics.val_loss << "  params " << best.metrics.params
            << "  madds " << best.metrics.madds << "  train " << std::setprecision(1) << best.metrics.train_seconds
            << " s\n"
            << "architecture: " << best.arch.short_form() << "\n"
            << "genotype: " << best.arch.genotype().dump() << "\n";
  return 0;
}

const bool registered = command_registry().add(
    "run", Command{"nas run FILE [--out DIR] [--set key.path=value ...] [--quiet]",
                   "run the search an experiment file describes", run_command});

}  // namespace
}  // namespace nas
