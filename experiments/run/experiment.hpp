#pragma once
// An experiment file, validated and turned into the objects a search needs. Everything that can be
// wrong with the file is found here, before any training starts.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controllers/controller.hpp"
#include "core/json.hpp"
#include "evaluators/evaluation/evaluator.hpp"
#include "evaluators/evaluation/trial_runner.hpp"
#include "experiments/log/logged_config.hpp"
#include "experiments/run/reevaluation_plan.hpp"
#include "experiments/run/retrain_plan.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

struct Budget {
  std::int64_t trials = kDefaultTrialBudget;
  double hours = 0;  // 0: no time limit
  // Sum of the trials' train_seconds after which no trial starts; 0: none. With a tabular evaluator's
  // seconds_per_query this is a budget in simulated training time, as in the NAS-Bench-201 paper.
  double train_seconds = 0;
};

struct ExperimentConfig {
  std::string file;    // as named on the command line
  std::string text;    // the file's text as given
  Json effective;      // the configuration after --set overrides
  std::string name;
  std::uint64_t seed = 0;
  Budget budget;
  RunnerOptions runner;  // evaluator.workers and evaluator.threads_per_worker
  int keep_weights = 3;  // trained weights of the best trials kept in the run directory, for `nas export`
  std::optional<ReevaluationPlan> reevaluation;  // `reevaluate:`, run when the search ends; none without it
  // The evaluator's shared weights are a supernet, trained by the `supernet` phase before the search
  // (as the `supernet:` section says; evaluator.name: inherited).
  bool trains_supernet = false;
  std::optional<RetrainPlan> retrain;  // `retrain:`, the best sub-networks trained from scratch at the end
};

struct Experiment {
  ExperimentConfig config;
  // The space searched; restricted to the `constraints:` section when it has one
  // (search_spaces/constrained_space.hpp), so space->admits() tells what the run may score.
  std::unique_ptr<SearchSpace> space;
  std::unique_ptr<Controller> controller;
  std::unique_ptr<Evaluator> evaluator;
};

// Validates the text and builds the space, controller and evaluator (which loads its data: the dataset
// or a benchmark table).
// `directory`: where relative paths in the text are read from (ConfigNode::path); empty = the working
// directory. The effective configuration holds them resolved, absolute.
Experiment load_experiment(const std::string& text, const std::string& file,
                           const std::vector<std::string>& overrides = {}, const std::string& directory = "");
// Relative paths in the file are read from the file's folder; those of --set overrides from the
// working directory.
Experiment load_experiment_file(const std::string& path, const std::vector<std::string>& overrides = {});
// The experiment of a logged run (RunInfo::experiment_json, the effective configuration), for resuming
// and exporting it; messages name `log_path`.
Experiment load_logged_experiment(const Json& effective, const std::string& log_path,
                                  const std::vector<std::string>& overrides = {});

}  // namespace nas
