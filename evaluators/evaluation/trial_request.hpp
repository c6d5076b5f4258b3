#pragma once
// What a run asks of one evaluation, and what comes back: one value each, carrying everything the
// evaluation needs and everything it produced, so that a trial can run wherever a runner sends it
// (a worker thread here; another process or machine later). Both have a JSON form. Shared weights
// travel by reference (their kind): they are too large to copy into every request, and a process
// that runs trials holds its own snapshot of them.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/architecture.hpp"
#include "core/json.hpp"
#include "core/state_record.hpp"
#include "core/trial.hpp"
#include "evaluators/evaluation/shared_weights.hpp"

namespace nas {

class SearchSpace;

struct TrialRequest {
  std::int64_t id = 0;       // the trial's id in the log (a re-evaluation's own numbering for its jobs)
  Architecture arch;
  std::uint64_t seed = 0;    // initial weights, batch order and dropout masks all come from it
  std::string weights_file;  // where an evaluator that trains keeps the trained weights; empty: nowhere
  // The run's shared weights as this trial sees them, read-only; null: none, so the evaluation trains
  // from scratch and offers nothing back (a re-evaluation says so for every repeat).
  std::shared_ptr<const SharedWeightsView> shared_weights;
};

struct TrialResult {
  std::int64_t id = 0;
  TrialStatus status = TrialStatus::failed;  // done or failed
  TrialMetrics metrics;                      // a failed trial keeps only train_seconds: time until it failed
  std::string error;                         // why it failed
  // Records the trial offers the run's shared weights (SharedWeights::absorb); empty: none.
  std::vector<StateRecord> offer;
  // Where it trained, for people: "rank 2 on node7" on MPI; empty on this machine's own workers.
  std::string trained_on;
};

Json to_json(const TrialRequest& request);
// Finds the snapshot of shared weights of a kind that a request names; null when this process holds none.
using SharedWeightsLookup = std::function<std::shared_ptr<const SharedWeightsView>(const std::string& kind)>;
// The request back from its JSON: `space` replays the architecture's choices (and must give back its
// hash), `lookup` resolves the shared weights it names. Throws nas::Error naming what is wrong.
TrialRequest trial_request_from_json(const Json& json, const SearchSpace& space,
                                     const SharedWeightsLookup& lookup = nullptr);

// Offered records travel as base64 text.
Json to_json(const TrialResult& result);
TrialResult trial_result_from_json(const Json& json);

}  // namespace nas
