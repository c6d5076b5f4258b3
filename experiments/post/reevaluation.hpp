#pragma once
// `nas reevaluate DIR`: the best trials of a search trained again from scratch, several times each with
// fresh seeds, and the winner chosen by mean validation accuracy. One training's validation accuracy
// mixes the architecture's quality with its seed's luck (on Cora one GAT scores 80.6 to 82.8 across
// seeds), and a search that keeps its maximum keeps the luckiest; GraphNAS picks its reported
// architecture by re-evaluating its top 5 the same way. Every repeat is recorded in the search log as
// it finishes, so an interrupted re-evaluation continues where it stopped.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "experiments/log/search_log.hpp"
#include "experiments/report/reevaluation_summary.hpp"
#include "experiments/run/reevaluation_plan.hpp"

namespace nas {

struct Experiment;

struct ReevaluateOptions : ReevaluationPlan {
  std::string run_dir;
  std::function<void(const ReevaluationRow&)> on_repeat;  // called as each repeat finishes
};

struct ReevaluateOutcome {
  int trained = 0;          // repeats run by this call (not those found already recorded)
  int already_recorded = 0;
  std::vector<ReevaluationSummary> summaries;  // as summarise_reevaluations, after this call
  // The log's migration to the current format, when `nas reevaluate` made it (a run's phase leaves
  // saying so to the run).
  std::optional<LogUpgrade> upgrade;
};

// Trains the repeats of the top trials that the log does not hold yet, and keeps the weights of each
// trial's best repeat (KeptWeights::reevaluated_path; a better repeat replaces them). Refuses (nas::Error) a run
// another process writes, top or repeats below 1, and a run with no done trial. Each repeat trains
// from scratch: its request carries no shared weights, even where the search shared them. A failed
// repeat is recorded as failed and leaves the others running.
ReevaluateOutcome reevaluate(const ReevaluateOptions& options);

// The same on a log the caller holds open for writing (the `reevaluate` phase of a run). The repeats
// train with `run_experiment` (the run's, already loaded) where the plan replaces none of its
// evaluator's keys; otherwise, or when it is null, with the experiment loaded from the log with the
// plan's replacements (evaluator_overrides). `plan` must ask for at least one repeat of one trial.
ReevaluateOutcome reevaluate(SearchLog& log, const Experiment* run_experiment, const std::string& run_dir,
                             const ReevaluationPlan& plan,
                             const std::function<void(const ReevaluationRow&)>& on_repeat = nullptr);

}  // namespace nas
