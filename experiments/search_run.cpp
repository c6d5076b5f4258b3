#include "experiments/search_run.hpp"

#include <chrono>
#include <filesystem>
#include <ctime>
#include <map>
#include <set>
#include <vector>
#include <ostream>

#include "core/rng.hpp"
#include "experiments/kept_weights.hpp"
#include "experiments/progress_line.hpp"
#include "experiments/search_log.hpp"
#include "experiments/seed_verdict.hpp"

namespace nas {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A new proposal that takes the successful result of an earlier trial of the same architecture.
Trial reuse_result(std::int64_t earlier_id, const TrialMetrics& metrics, Trial proposed) {
  proposed.status = TrialStatus::done;
  proposed.metrics = metrics;
  proposed.reused_from = earlier_id;
  return proposed;
}

RunInfo run_info_for(const ExperimentConfig& config) {
  RunInfo info;
  info.name = config.name;
  info.seed = config.seed;
  info.experiment_text = config.text;
  info.experiment_json = config.effective;
  info.experiment_hash = stable_hash_hex(config.effective.dump());
  return info;
}

}  // namespace

std::string default_run_dir(const std::string& name) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  return std::string(kRunsDirectory) + "/" + name + "-" + stamp;
}

RunResult run_search(Experiment& experiment, const RunOptions& options) {
  const std::string dir = options.dir.empty() ? default_run_dir(experiment.config.name) : options.dir;
  SearchLog log = SearchLog::create(dir, run_info_for(experiment.config));
  return run_search(experiment, log, SearchStart{}, options);
}

RunResult run_search(Experiment& experiment, SearchLog& log, const SearchStart& start, const RunOptions& options) {
  const auto started = Clock::now();
  const ExperimentConfig& config = experiment.config;
  RunResult result;
  result.dir = std::filesystem::path(log.path()).parent_path().string();
  result.best = start.best;
  result.reused = start.reused;

  EvaluatorPool pool(*experiment.evaluator, config.pool);
  Controller& controller = *experiment.controller;
  std::optional<ProgressLine> progress;
  if (options.progress) progress.emplace(*options.progress, options.progress_in_place);

  ProgressState state;
  state.total = config.budget.trials;
  state.done = start.done;
  state.failed = start.failed;
  state.best_accuracy = start.best ? start.best->metrics.val_accuracy : -1;
  state.best_trial = start.best ? start.best->id : -1;
  double waiting_seconds = 0;
  std::int64_t next_id = start.next_id;
  std::map<std::string, std::int64_t> training;   // architecture hash -> id of the trial training it
  std::multimap<std::string, Trial> waiting;      // repeats of an architecture still training
  auto search_seconds = [&] { return start.search_seconds + seconds_since(started); };
  const KeptWeights kept_weights(result.dir, config.keep_weights);
  auto prune_weights = [&] {
    std::set<std::int64_t> training_ids;
    for (const auto& entry : training) training_ids.insert(entry.second);
    kept_weights.prune(log, training_ids);
  };

  // Records a finished trial and lets the controller learn from it, in the order results arrive.
  // The checkpoint says how many trials the controller has proposed, so that a resumed run knows
  // which unfinished trials it must run again as they are and which it must propose again.
  auto complete = [&](const Trial& trial) {
    controller.observe(trial);
    log.finish_trial(trial, Checkpoint{controller.state(), next_id, search_seconds()});
    ++state.done;
    if (trial.status == TrialStatus::failed) ++state.failed;
    if (trial.reused_from >= 0) ++result.reused;
    else result.trial_seconds += trial.metrics.train_seconds;
    if (trial.status == TrialStatus::done &&
        (!result.best || trial.metrics.val_accuracy > result.best->metrics.val_accuracy))
      result.best = trial;
    state.best_accuracy = result.best ? result.best->metrics.val_accuracy : -1;
    state.best_trial = result.best ? result.best->id : -1;
  };
  // Why no further trial may start, or null while the budget lasts (budget.trials is the loop's own test).
  auto budget_spent = [&]() -> const char* {
    if (config.budget.hours > 0 && search_seconds() > config.budget.hours * 3600.0) return "budget.hours";
    if (config.budget.train_seconds > 0 && start.train_seconds + result.trial_seconds >= config.budget.train_seconds)
      return "budget.train_seconds";
    return nullptr;
  };

  // One rule for repeats: an architecture that trained successfully is not trained again (its result
  // stands) unless the controller asks for another training; one still training makes the repeat
  // wait for its outcome instead of taking a worker; a failed one is trained again, since failures
  // such as the time cap need not recur.
  auto dispatch = [&](Trial trial) {
    const std::string& hash = trial.arch.hash();
    std::optional<TrialRow> earlier;
    if (!controller.trains_again(trial.arch)) earlier = log.find_done_by_hash(hash);
    if (earlier) {
      complete(reuse_result(earlier->trained_by(), *earlier->metrics, trial));
    } else if (training.count(hash)) {
      waiting.emplace(hash, trial);
    } else {
      log.mark_running(trial.id);
      trial.status = TrialStatus::running;
      trial.weights_file = kept_weights.file_for(trial.id);
      training[hash] = trial.id;
      pool.submit(trial);
    }
  };

  log.set_status("running");
  prune_weights();  // a killed run may have left files of trials it never finished
  for (const Trial& trial : start.requeue) dispatch(trial);
  while (true) {
    while (static_cast<int>(pool.in_flight()) < pool.workers() && next_id < config.budget.trials && !budget_spent()) {
      Trial trial;
      trial.arch = controller.propose();
      trial.seed = derive_seed(config.seed, static_cast<std::uint64_t>(next_id));
      trial.id = log.add_trial(trial.arch, trial.seed);
      if (trial.id != next_id) throw Error(log.path(), "trial ids out of step with the run loop");
      ++next_id;
      dispatch(trial);
    }
    state.running = static_cast<std::int64_t>(pool.in_flight());
    state.elapsed_seconds = seconds_since(started);
    if (progress) progress->show(state);
    if (pool.in_flight() == 0) break;

    const auto wait_started = Clock::now();
    Trial finished = pool.wait_next();
    waiting_seconds += seconds_since(wait_started);
    training.erase(finished.arch.hash());
    complete(finished);
    prune_weights();
    // The repeats it held back now find its result in the log, or (after a failure) start training.
    const auto held = waiting.equal_range(finished.arch.hash());
    std::vector<Trial> repeats;
    for (auto it = held.first; it != held.second; ++it) repeats.push_back(it->second);
    waiting.erase(held.first, held.second);
    for (const Trial& repeat : repeats) dispatch(repeat);
  }
  if (progress) progress->finish();
  const char* spent = budget_spent();
  result.seed_verdict = seed_verdict(controller.seeds(), log);
  const std::string verdict = result.seed_verdict.empty() ? "" : "; " + result.seed_verdict;
  log.set_status(spent ? "stopped: " + std::string(spent) + " reached" + verdict
                       : result.seed_verdict.empty() ? "finished" : "finished: " + result.seed_verdict);

  result.trials = state.done;
  result.failed = state.failed;
  result.wall_seconds = seconds_since(started);
  result.loop_seconds = result.wall_seconds - waiting_seconds;
  return result;
}

}  // namespace nas
