#pragma once
// What `nas run` and `nas resume` print when a search ends, and their exit code.
#include "experiments/search_run.hpp"

namespace nas {

// Prints the run directory, the trial counts and the best architecture to stdout; returns the exit
// code: 0, or 1 when no trial succeeded.
int report_run_outcome(const RunResult& result);

// The progress line on stderr unless --quiet, redrawn in place on a terminal.
RunOptions progress_options(bool quiet);

}  // namespace nas
