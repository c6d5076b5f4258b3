#include "experiments/post/reevaluation.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <set>
#include <utility>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "evaluators/evaluation/trial_runner.hpp"
#include "experiments/log/kept_weights.hpp"
#include "experiments/log/logged_architecture.hpp"
#include "experiments/run/experiment.hpp"
#include "experiments/run/phase_runner.hpp"

namespace nas {
namespace {

// Repeat r of a trial trains from this seed: never the trial's own (index 0 of its stream), so every
// repeat is a new draw, and the same on every machine, so a re-evaluation can be reproduced.
std::uint64_t repeat_seed(std::uint64_t trial_seed, int repeat) {
  return derive_seed(trial_seed, static_cast<std::uint64_t>(repeat) + 1);
}

// Each repeat trains into its own weights file. When it beats the trial's best repeat so far, the
// previous best's file is deleted; otherwise its own is. So the folder holds each trial's best.
void keep_if_best(const ReevaluationRow& row, const std::string& run_dir,
                  std::map<std::int64_t, std::pair<double, int>>& best) {
  std::error_code ignored;
  const std::pair<double, int> candidate{row.metrics.val_accuracy, row.repeat};
  const auto previous = best.find(row.trial_id);
  if (row.status != TrialStatus::done || (previous != best.end() && !better_repeat(candidate, previous->second))) {
    std::filesystem::remove(KeptWeights::reevaluated_path(run_dir, row.trial_id, row.repeat), ignored);
    return;
  }
  if (previous != best.end())
    std::filesystem::remove(KeptWeights::reevaluated_path(run_dir, row.trial_id, previous->second.second), ignored);
  best[row.trial_id] = candidate;
}

}  // namespace

ReevaluateOutcome reevaluate(SearchLog& log, const Experiment* run_experiment, const std::string& run_dir,
                             const ReevaluationPlan& plan,
                             const std::function<void(const ReevaluationRow&)>& on_repeat) {
  const std::vector<TrialRow> top = log.top_trained_trials(plan.top);
  if (top.empty()) throw Error(run_dir, "has no done trial to re-evaluate");
  // The evaluator keys the plan replaces (evaluator_overrides: workers, time limit) take an experiment
  // of their own, loaded from the log with them; without any, the run's own serves.
  std::optional<Experiment> own;
  const auto replaced = evaluator_overrides(plan);
  if (!run_experiment || !replaced.empty()) {
    std::vector<std::string> overrides;
    for (const auto& [key, value] : replaced) overrides.push_back("evaluator." + key + "=" + value);
    own = load_logged_experiment(log.info().experiment_json, log.path(), overrides);
  }
  const Experiment& experiment = own ? *own : *run_experiment;

  std::set<std::pair<std::int64_t, int>> recorded;
  for (const ReevaluationRow& row : log.reevaluations()) recorded.emplace(row.trial_id, row.repeat);
  // The runner knows requests by id; a job's id is its index here, and `jobs` maps it back.
  std::vector<std::pair<std::int64_t, int>> jobs;
  std::vector<TrialRequest> pending;
  ReevaluateOutcome outcome;
  for (const TrialRow& row : top) {
    const Architecture arch = rebuild_logged_architecture(row, *experiment.space, log.path());
    for (int repeat = 0; repeat < plan.repeats; ++repeat) {
      if (recorded.count({row.id, repeat})) {
        ++outcome.already_recorded;
        continue;
      }
      // No shared weights: a repeat that inherited what the previous one trained would not be independent.
      pending.push_back(TrialRequest{static_cast<std::int64_t>(jobs.size()), arch, repeat_seed(row.seed, repeat),
                                     KeptWeights::reevaluated_path(run_dir, row.id, repeat), nullptr});
      jobs.emplace_back(row.id, repeat);
    }
  }

  // Each trial's best done repeat so far (validation accuracy, repeat), from earlier calls too.
  std::map<std::int64_t, std::pair<double, int>> best;
  for (const ReevaluationSummary& summary : summarise_reevaluations(log))
    if (summary.best_repeat >= 0) best[summary.trial_id] = {summary.best_repeat_val_accuracy, summary.best_repeat};

  const std::unique_ptr<TrialRunner> runner = make_phase_runner(
      experiment.config, *experiment.evaluator, evaluator_sections(experiment.config.effective), run_dir);
  std::size_t next = 0;
  while (next < pending.size() || runner->in_flight() > 0) {
    while (next < pending.size() && runner->in_flight() < static_cast<std::size_t>(runner->capacity()))
      runner->submit(pending[next++]);
    const TrialResult finished = runner->wait_next();
    const std::size_t job = static_cast<std::size_t>(finished.id);
    ReevaluationRow row;
    std::tie(row.trial_id, row.repeat) = jobs.at(job);
    row.seed = pending.at(job).seed;
    row.status = finished.status;
    row.metrics = finished.metrics;
    row.error = finished.error;
    keep_if_best(row, run_dir, best);
    log.record_reevaluation(row);
    ++outcome.trained;
    if (on_repeat) on_repeat(row);
  }
  outcome.summaries = summarise_reevaluations(log);
  return outcome;
}

ReevaluateOutcome reevaluate(const ReevaluateOptions& options) {
  if (options.top < 1) throw Error("--top", "must be at least 1 (the number of best trials to re-evaluate)");
  if (options.repeats < 1) throw Error("--repeats", "must be at least 1 (trainings per trial)");
  if (options.workers < 0) throw Error("--workers", "must be at least 1");
  SearchLog log = SearchLog::open(options.run_dir, SearchLog::Mode::read_write);
  ReevaluateOutcome outcome = reevaluate(log, nullptr, options.run_dir, options, options.on_repeat);
  outcome.upgrade = log.upgrade();
  return outcome;
}

}  // namespace nas
