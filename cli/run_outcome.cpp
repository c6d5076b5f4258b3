#include "cli/run_outcome.hpp"

#include <unistd.h>

#include <iomanip>
#include <iostream>

#include "experiments/progress_line.hpp"

namespace nas {

int report_run_outcome(const RunResult& result) {
  std::cout << "run directory: " << result.dir << "\n"
            << "trials: " << result.trials << " (" << result.failed << " failed, " << result.reused
            << " reused earlier results); this session " << format_duration(result.wall_seconds) << "\n";
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
  if (!result.seed_verdict.empty()) std::cout << "against the seeds: " << result.seed_verdict << "\n";
  return 0;
}

RunOptions progress_options(bool quiet) {
  RunOptions options;
  if (!quiet) {
    options.progress = &std::cerr;
    options.progress_in_place = isatty(STDERR_FILENO) != 0;
  }
  return options;
}

}  // namespace nas
