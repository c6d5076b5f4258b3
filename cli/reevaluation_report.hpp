#pragma once
// Re-evaluation as the command line shows it, shared by `nas reevaluate` and by `nas run` / `nas
// resume` with a `reevaluate:` section: a line per finished training on stderr, then the table of
// means and the choice on stdout.
#include <string>

#include "experiments/reevaluation.hpp"

namespace nas {

// Runs `options` (its on_repeat replaced: a line per repeat unless `quiet`) and prints what it trained
// and the table.
void reevaluate_and_report(ReevaluateOptions options, bool quiet);

// The experiment's `reevaluate:` plan on the run in `run_dir`, after its search ended, announced on
// stderr first.
void reevaluate_after_search(const ReevaluationPlan& plan, const std::string& run_dir, bool quiet);

}  // namespace nas
