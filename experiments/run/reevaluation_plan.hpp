#pragma once
// How a search's best trials are re-evaluated: how many, how often, on how many workers. `nas
// reevaluate` takes it from its flags; an experiment file's `reevaluate:` section makes `nas run` (and
// `nas resume`) do the same as soon as the search ends, so that one command searches and then chooses
// as GraphNAS does (the best mean validation accuracy of the top five over repeated trainings).
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nas {

class ConfigNode;

struct ReevaluationPlan {
  int top = 5;       // the best trained trials by validation accuracy
  int repeats = 10;  // trainings per trial, each from a fresh seed
  int workers = 0;   // 0: the run's evaluator.workers
  // Replaces the run's evaluator.trial_time_limit (seconds, 0: none): trainings side by side may need
  // more time than the search's trials had. Empty: the run's.
  std::string trial_time_limit;
};

// The experiment file's `reevaluate:` section ({top, repeats, workers, trial_time_limit}, each
// optional with the defaults above), or nothing when the file has none or sets repeats to 0.
// Finishes the section, so a misspelt key is named.
std::optional<ReevaluationPlan> read_reevaluation_plan(const ConfigNode& root);

// The keys of the run's `evaluator:` section that the plan replaces for its trainings, with their
// values as --set text ({"workers", "2"}): the one list that `reevaluate` applies and that loading an
// experiment checks its evaluator accepts.
std::vector<std::pair<std::string, std::string>> evaluator_overrides(const ReevaluationPlan& plan);

}  // namespace nas
