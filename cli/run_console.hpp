#pragma once
// Where a run prints on the command line: results on stdout, notes on stderr, and unless --quiet the
// progress line on stderr, redrawn in place on a terminal.
#include "experiments/run/phase.hpp"

namespace nas {

RunConsole run_console(bool quiet);

}  // namespace nas
