// `nas resume DIR`: continue a run from its log, after a crash or with a larger budget: the phase it
// was in, then the ones after it.
#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "cli/run_console.hpp"
#include "experiments/run/run.hpp"

namespace nas {
namespace {

int resume_command(const std::vector<std::string>& raw) {
  const Arguments args(raw,
                       {{"--set", true, "budget.*, reevaluate.* or evaluator.workers/threads_per_worker=value"},
                        {"--quiet", false, "no progress line"}},
                       "resume");
  return Run::resume(args.single_positional("run DIR"), args.all("--set"), run_console(args.has("--quiet")))
      .go_on()
      .exit_code;
}

const bool registered = command_registry().add(
    "resume", Command{"nas resume DIR [--set budget.trials=N ...] [--quiet]",
                      "continue a run from its log, after a crash or with a larger budget: the phase it was in "
                      "(search, reevaluate), then the ones after it",
                      resume_command});

}  // namespace
}  // namespace nas
