#pragma once
// What `nas inspect` shows of a run: the whole log as JSON for programs, a summary for people.
// Both read one consistent snapshot, so they are safe to call while the run is still writing.
#include <cstdint>
#include <string>

#include "core/json.hpp"
#include "experiments/log/search_log.hpp"

namespace nas {

// {"experiment": effective config, "phases": [phase...], "trials": [trial...], "best": trial or null,
// "exports": [...], "reevaluations": [...]}, where a phase is {"name", "status", "outcome" (null until
// it ends), "started_at", "finished_at" (UTC text, null until then)} and a trial is {"id", "status",
// "arch", "metrics" (null unless measured), "error" (null when none), "reused_from" (null when none)}.
Json inspect_json(const SearchLog& log);

// Experiment name, run status, trial counts, the best trial, and a table of the `top_k` best done
// trials (none when top_k <= 0), fitted to about 120 columns.
std::string inspect_text(const SearchLog& log, int top_k);

// One trial in full: every field of its row, its choices, and its genotype pretty-printed. Throws
// nas::Error naming the log and the id when the log holds no such trial.
std::string inspect_trial_text(const SearchLog& log, std::int64_t id);
// The same trial as one element of inspect_json's "trials".
Json inspect_trial_json(const SearchLog& log, std::int64_t id);

}  // namespace nas
