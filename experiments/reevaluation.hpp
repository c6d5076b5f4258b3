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
#include <string>
#include <vector>

#include "experiments/reevaluation_plan.hpp"
#include "experiments/search_log.hpp"

namespace nas {

struct ReevaluateOptions : ReevaluationPlan {
  std::string run_dir;
  std::function<void(const ReevaluationRow&)> on_repeat;  // called as each repeat finishes
};

// The repeats of one trial, summarised. Means and standard deviations (population, as papers
// report "mean ± std") are over the done repeats.
struct ReevaluationSummary {
  std::int64_t trial_id = 0;
  std::string short_form;
  double search_val_accuracy = 0;  // the trial's own training during the search
  int done = 0;
  int failed = 0;
  double val_accuracy_mean = 0, val_accuracy_std = 0;
  double train_seconds_mean = 0;
  int best_repeat = -1;            // the done repeat of highest validation accuracy (ties: the lower repeat)
  std::uint64_t best_repeat_seed = 0;
  double best_repeat_val_accuracy = 0;
  std::map<std::string, std::pair<double, double>> reported;  // figure -> (mean, std), e.g. test_accuracy
};

// Summaries of every re-evaluated trial of `log`, best mean validation accuracy first (ties: the
// lower trial id); trials without a done repeat come last. Empty when nothing was re-evaluated.
// Reads the log several times: a reader that shares it with a writer holds a ReadSnapshot around it.
std::vector<ReevaluationSummary> summarise_reevaluations(const SearchLog& log);

// How far the chosen trial (summaries[0]) leads the runner-up in mean validation accuracy, against the
// standard error of that difference (Welch's: each mean's sample variance over its count), as one
// sentence; under 2 it says the repeats do not tell the two apart. One training on Cora moves by about
// 2 points from seed to seed, so finalists often lead by less, and such a choice is close to a coin
// toss that more repeats could reverse: saying so keeps users from reading a near tie as a ranking.
// Empty without two re-evaluated trials.
std::string choice_lead_text(const std::vector<ReevaluationSummary>& summaries);

// The summaries as a table for people (`nas reevaluate`, `nas inspect`), naming the chosen trial and
// its lead (choice_lead_text); empty when there are none. Each figure the evaluator reported
// (test_accuracy, ...) gets a column of its mean ± std.
std::string reevaluation_text(const std::vector<ReevaluationSummary>& summaries);

struct ReevaluateOutcome {
  int trained = 0;          // repeats run by this call (not those found already recorded)
  int already_recorded = 0;
  std::vector<ReevaluationSummary> summaries;  // as summarise_reevaluations, after this call
};

// Trains the repeats of the top trials that the log does not hold yet, and keeps the weights of each
// trial's best repeat (KeptWeights::reevaluated_path; a better repeat replaces them). Refuses (nas::Error) a run
// another process writes, top or repeats below 1, and a run with no done trial. Weight sharing, if
// the run used it, is off: each repeat trains from scratch. A failed repeat is recorded as failed
// and leaves the others running.
ReevaluateOutcome reevaluate(const ReevaluateOptions& options);

}  // namespace nas
