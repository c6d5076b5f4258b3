#pragma once
// What the re-evaluations recorded in a search log say (`nas reevaluate`, `nas inspect`, the HTML
// report, `nas export`'s default choice): each re-evaluated trial's mean and spread over its repeats,
// the chosen trial and how far it leads, as figures and as text for people.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "experiments/log/search_log.hpp"

namespace nas {

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

// Whether a repeat's (validation accuracy, repeat) beats `kept`: the higher accuracy, and of equal
// ones the lower repeat, so that the best repeat does not depend on the order repeats ended in.
bool better_repeat(const std::pair<double, int>& candidate, const std::pair<double, int>& kept);

}  // namespace nas
