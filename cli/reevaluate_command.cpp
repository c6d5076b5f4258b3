// `nas reevaluate DIR`: train the best trials of a run again from fresh seeds and choose by the mean.
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "experiments/post/reevaluation_report.hpp"

namespace nas {
namespace {

int reevaluate_command(const std::vector<std::string>& raw) {
  const Arguments args(raw,
                       {{"--top", true, "how many of the best trained trials (default 5)"},
                        {"--repeats", true, "trainings of each, from fresh seeds (default 10)"},
                        {"--workers", true, "trainings at a time (default: the run's evaluator.workers)"},
                        {"--trial-time-limit", true, "seconds per training, 0 for none (default: the run's)"},
                        {"--quiet", false, "no line per finished training"}},
                       "reevaluate");
  ReevaluateOptions options;
  options.run_dir = args.single_positional("run DIR");
  options.top = static_cast<int>(args.integer("--top", 5, 1));
  options.repeats = static_cast<int>(args.integer("--repeats", 10, 1));
  options.workers = static_cast<int>(args.integer("--workers", 0, 1));
  options.trial_time_limit = args.value("--trial-time-limit");
  options.on_repeat = repeat_printer(args.has("--quiet") ? nullptr : &std::cerr);
  print_reevaluation(std::cout, reevaluate(options));
  return 0;
}

const bool registered = command_registry().add(
    "reevaluate", Command{"nas reevaluate DIR [--top K] [--repeats N] [--workers W] [--trial-time-limit S] [--quiet]",
                          "train the K best trials N more times each from fresh seeds, record every training in "
                          "the log, and choose the trial with the best mean validation accuracy",
                          reevaluate_command});

}  // namespace
}  // namespace nas
