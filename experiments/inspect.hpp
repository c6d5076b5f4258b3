#pragma once
// What `nas inspect` shows of a run: the whole log as JSON for programs, a summary for people.
// Both read one consistent snapshot, so they are safe to call while the run is still writing.
#include <string>

#include "core/json.hpp"
#include "experiments/search_log.hpp"

namespace nas {

// {"experiment": effective config, "trials": [trial...], "best": trial or null}, where a trial is
// {"id", "status", "arch", "metrics" (null unless measured), "error" (null when none),
//  "reused_from" (null when none)}.
Json inspect_json(const SearchLog& log);

// Experiment name, run status, trial counts, the best trial, and a table of the `top_k` best done
// trials (none when top_k <= 0), fitted to about 120 columns.
std::string inspect_text(const SearchLog& log, int top_k);

}  // namespace nas
