#pragma once
// A run's phases as `nas inspect` (text and JSON) and the HTML report show them.
#include <string>
#include <vector>

#include "core/json.hpp"
#include "experiments/log/search_log.hpp"

namespace nas {

// [{"name", "status", "outcome" (null until it ends), "started_at", "finished_at" (UTC, null until then),
//   "state" (the phase's own checkpoint: the supernet's curve, the retrained sub-networks; null: none)}].
Json phases_json(const std::vector<PhaseRow>& phases);

// "search done (finished), reevaluate running"; "none recorded" for a log without phases.
std::string phases_text(const std::vector<PhaseRow>& phases);

}  // namespace nas
