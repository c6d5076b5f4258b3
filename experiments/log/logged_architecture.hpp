#pragma once
// An architecture recorded in a search log, rebuilt by its space from the recorded choices, for
// everything that reads a log back: resuming, exporting, drawing.
#include <string>

#include "core/architecture.hpp"
#include "experiments/log/search_log.hpp"

namespace nas {

class SearchSpace;

// Replays `row`'s choices through `space`. Refuses (nas::Error naming `log_path` and the trial) choices
// the space no longer accepts, and choices it rebuilds into another architecture than the logged one
// (a space whose code changed since the run).
Architecture rebuild_logged_architecture(const TrialRow& row, const SearchSpace& space, const std::string& log_path);

}  // namespace nas
