#include "experiments/run/search_phase.hpp"

#include <chrono>
#include <iomanip>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <vector>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "evaluators/evaluation/shared_weights.hpp"
#include "evaluators/evaluation/trial_runner.hpp"
#include "experiments/log/kept_weights.hpp"
#include "experiments/log/logged_architecture.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/run/experiment.hpp"
#include "experiments/run/phase.hpp"
#include "experiments/run/phase_runner.hpp"
#include "experiments/run/progress_line.hpp"
#include "experiments/run/seed_verdict.hpp"

namespace nas {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// A new proposal that takes the successful result of an earlier trial of the same architecture.
Trial reuse_result(std::int64_t earlier_id, const TrialMetrics& metrics, Trial proposed) {
  proposed.status = TrialStatus::done;
  proposed.metrics = metrics;
  proposed.reused_from = earlier_id;
  return proposed;
}

// A trial as the run loop holds it, from its row: the architecture is replayed through the space, so
// a log whose choices the space no longer accepts is reported rather than half resumed.
Trial trial_from_row(const TrialRow& row, const SearchSpace& space, const std::string& log_path) {
  Trial trial;
  trial.id = row.id;
  trial.seed = row.seed;
  trial.status = row.status;
  trial.error = row.error;
  trial.reused_from = row.reused_from;
  if (row.metrics) trial.metrics = *row.metrics;
  trial.arch = rebuild_logged_architecture(row, space, log_path);
  return trial;
}

// Where the loop starts: nothing for a new search; for a resumed one, what its log already holds.
struct SearchStart {
  std::int64_t next_id = 0;     // the id of the next proposal
  std::vector<Trial> requeue;   // proposed before the last checkpoint but unfinished: run again as stored
  std::int64_t discarded = 0;   // unfinished trials proposed after the last checkpoint, to be proposed again
  std::int64_t done = 0;        // finished trials (failed included)
  std::int64_t failed = 0;
  std::int64_t reused = 0;
  std::optional<Trial> best;
  double search_seconds = 0;    // wall-clock time of earlier sessions, which budget.hours counts too
  double train_seconds = 0;     // train_seconds of the trials trained so far, for budget.train_seconds
};

// What the search prints when it ends: the run directory, the trial counts and the best architecture.
void print_outcome(std::ostream& out, const std::string& dir, const Json& summary, const std::optional<Trial>& best,
                   const std::string& verdict) {
  out << "run directory: " << dir << "\n"
      << "trials: " << summary["trials"].get<std::int64_t>() << " (" << summary["failed"].get<std::int64_t>()
      << " failed, " << summary["reused"].get<std::int64_t>() << " reused earlier results); this session "
      << format_duration(summary["wall_seconds"].get<double>()) << "\n";
  if (!best) {
    out << "no trial succeeded; see `nas inspect " << dir << "` for the errors\n";
    return;
  }
  std::ostringstream line;
  line << std::fixed << std::setprecision(4) << "best: trial " << best->id << "  val_accuracy "
       << best->metrics.val_accuracy << "  val_loss " << best->metrics.val_loss << "  params " << best->metrics.params
       << "  madds " << best->metrics.madds << "  train " << std::setprecision(1) << best->metrics.train_seconds
       << " s\n";
  out << line.str() << "architecture: " << best->arch.short_form() << "\n"
      << "genotype: " << best->arch.genotype().dump() << "\n";
  if (!verdict.empty()) out << "against the seeds: " << verdict << "\n";
}

class SearchPhase : public Phase {
 public:
  void prepare(PhaseContext& context) override;
  PhaseEnd run(PhaseContext& context) override;

 private:
  SearchStart start_;
};

void SearchPhase::prepare(PhaseContext& context) {
  SearchLog& log = context.log;
  Experiment& experiment = context.experiment;
  if (const std::optional<Checkpoint> checkpoint = log.latest_checkpoint()) {
    try {
      experiment.controller->restore(checkpoint->controller);
    } catch (const std::exception& e) {
      throw Error(log.path(), "the controller state after trial " + std::to_string(checkpoint->after_trial) +
                                  " cannot be restored: " + e.what());
    }
    start_.next_id = checkpoint->proposed;
    start_.search_seconds = checkpoint->search_seconds;
  }
  const SearchSpace& space = *experiment.space;
  for (const TrialRow& row : log.trials()) {
    if (row.id >= start_.next_id) {
      ++start_.discarded;
      continue;
    }
    if (row.status == TrialStatus::pending || row.status == TrialStatus::running) {
      Trial trial = trial_from_row(row, space, log.path());
      trial.status = TrialStatus::pending;
      start_.requeue.push_back(std::move(trial));
      continue;
    }
    ++start_.done;
    if (row.status == TrialStatus::failed) ++start_.failed;
    if (row.reused_from >= 0) ++start_.reused;
    else if (row.metrics) start_.train_seconds += row.metrics->train_seconds;
  }
  if (const std::optional<TrialRow> best = log.best()) start_.best = trial_from_row(*best, space, log.path());
}

PhaseEnd SearchPhase::run(PhaseContext& context) {
  const auto started = Clock::now();
  Experiment& experiment = context.experiment;
  SearchLog& log = context.log;
  const ExperimentConfig& config = experiment.config;
  const SearchStart& start = start_;
  const RunConsole& console = context.console;
  if (console.notes && (start.done > 0 || !start.requeue.empty() || start.discarded > 0))
    *console.notes << "nas: search: " << start.done << " of " << config.budget.trials << " trials finished, "
                   << start.requeue.size() << " to run again, " << start.discarded << " to propose again\n";
  log.discard_trials_from(start.next_id);

  std::optional<Trial> best = start.best;
  std::int64_t reused = start.reused;
  double trial_seconds = 0;  // train_seconds of the trials trained in this session
  const std::unique_ptr<TrialRunner> runner =
      make_phase_runner(config, *experiment.evaluator, evaluator_sections(config.effective), context.run_dir);
  Controller& controller = *experiment.controller;
  SharedWeights* shared = context.shared_weights;
  std::optional<ProgressLine> progress;
  if (console.progress) progress.emplace(*console.progress, console.progress_in_place);

  ProgressState state;
  state.total = config.budget.trials;
  state.done = start.done;
  state.failed = start.failed;
  state.best_accuracy = best ? best->metrics.val_accuracy : -1;
  state.best_trial = best ? best->id : -1;
  double waiting_seconds = 0;
  std::int64_t next_id = start.next_id;
  std::map<std::string, std::int64_t> training;   // architecture hash -> id of the trial training it
  std::map<std::int64_t, Trial> submitted;         // trial id -> the trial its runner is training
  std::multimap<std::string, Trial> waiting;      // repeats of an architecture still training
  auto search_seconds = [&] { return start.search_seconds + seconds_since(started); };
  const KeptWeights kept_weights(context.run_dir, config.keep_weights);
  auto prune_weights = [&] {
    std::set<std::int64_t> training_ids;
    for (const auto& entry : training) training_ids.insert(entry.second);
    kept_weights.prune(log, training_ids);
  };

  // Records a finished trial and lets the controller learn from it, in the order results arrive. The
  // checkpoint says how many trials the controller has proposed, so that a resumed run knows which
  // unfinished trials it must run again as they are and which it must propose again; the records of
  // the shared weights that the trial's offer changed go into the same transaction.
  auto complete = [&](const Trial& trial, const std::vector<StateRecord>& offer) {
    controller.observe(trial);
    Checkpoint checkpoint{controller.state(), next_id, search_seconds()};
    if (shared && !offer.empty()) checkpoint.state_changes = StateChanges{shared->kind(), shared->absorb(offer)};
    log.finish_trial(trial, checkpoint);
    ++state.done;
    if (trial.status == TrialStatus::failed) ++state.failed;
    if (trial.reused_from >= 0) ++reused;
    else trial_seconds += trial.metrics.train_seconds;
    if (trial.status == TrialStatus::done && (!best || trial.metrics.val_accuracy > best->metrics.val_accuracy))
      best = trial;
    state.best_accuracy = best ? best->metrics.val_accuracy : -1;
    state.best_trial = best ? best->id : -1;
  };
  // Why no further trial may start, or null while the budget lasts (budget.trials is the loop's own test).
  auto budget_spent = [&]() -> const char* {
    if (config.budget.hours > 0 && search_seconds() > config.budget.hours * 3600.0) return "budget.hours";
    if (config.budget.train_seconds > 0 && start.train_seconds + trial_seconds >= config.budget.train_seconds)
      return "budget.train_seconds";
    return nullptr;
  };

  // One rule for repeats: an architecture that trained successfully is not trained again (its result
  // stands) unless the controller asks for another training; one still training makes the repeat
  // wait for its outcome instead of taking a worker; a failed one is trained again, since failures
  // such as the time cap need not recur.
  auto dispatch = [&](Trial trial) {
    // The constrained space proposes nothing outside the constraints; what still comes (a seed, a
    // replayed sequence) fails unscored, and the controller learns it from the failure.
    if (!experiment.space->admits(trial.arch)) {
      trial.status = TrialStatus::failed;
      trial.error = "outside the run's constraints (the constraints: section); not scored";
      complete(trial, {});
      return;
    }
    const std::string& hash = trial.arch.hash();
    std::optional<TrialRow> earlier;
    if (!controller.trains_again(trial.arch)) earlier = log.find_done_by_hash(hash);
    if (earlier) {
      complete(reuse_result(earlier->trained_by(), *earlier->metrics, trial), {});
    } else if (training.count(hash)) {
      waiting.emplace(hash, trial);
    } else {
      log.mark_running(trial.id);
      trial.status = TrialStatus::running;
      training[hash] = trial.id;
      runner->submit(TrialRequest{trial.id, trial.arch, trial.seed, kept_weights.file_for(trial.id),
                                  shared ? shared->view() : nullptr});
      submitted.emplace(trial.id, std::move(trial));
    }
  };

  prune_weights();  // a killed run may have left files of trials it never finished
  for (const Trial& trial : start.requeue) dispatch(trial);
  while (true) {
    while (static_cast<int>(runner->in_flight()) < runner->capacity() && next_id < config.budget.trials &&
           !budget_spent()) {
      Trial trial;
      trial.arch = controller.propose();
      trial.seed = derive_seed(config.seed, static_cast<std::uint64_t>(next_id));
      trial.id = log.add_trial(trial.arch, trial.seed);
      if (trial.id != next_id) throw Error(log.path(), "trial ids out of step with the run loop");
      ++next_id;
      dispatch(trial);
    }
    state.running = static_cast<std::int64_t>(runner->in_flight());
    state.elapsed_seconds = seconds_since(started);
    if (progress) progress->show(state);
    if (runner->in_flight() == 0) break;

    const auto wait_started = Clock::now();
    TrialResult result = runner->wait_next();
    waiting_seconds += seconds_since(wait_started);
    const auto found = submitted.find(result.id);
    if (found == submitted.end()) throw Error(log.path(), "the trial runner returned trial " + std::to_string(result.id) + ", which it was not given");
    Trial finished = std::move(found->second);
    submitted.erase(found);
    finished.status = result.status;
    finished.metrics = result.metrics;
    finished.error = result.error;
    finished.trained_on = result.trained_on;
    training.erase(finished.arch.hash());
    complete(finished, finished.status == TrialStatus::done ? result.offer : std::vector<StateRecord>{});
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
  const std::string verdict = seed_verdict(controller.seeds(), log);
  const std::string verdict_suffix = verdict.empty() ? "" : "; " + verdict;

  PhaseEnd end;
  end.outcome = spent ? "stopped: " + std::string(spent) + " reached" + verdict_suffix
                      : verdict.empty() ? "finished" : "finished: " + verdict;
  end.proceed = best.has_value();
  const double wall_seconds = seconds_since(started);
  end.summary = Json{{"trials", state.done},
                     {"failed", state.failed},
                     {"reused", reused},
                     {"best_trial", best ? Json(best->id) : Json()},
                     {"wall_seconds", wall_seconds},
                     {"trial_seconds", trial_seconds},
                     {"loop_seconds", wall_seconds - waiting_seconds},
                     {"seed_verdict", verdict}};
  if (console.out) print_outcome(*console.out, context.run_dir, end.summary, best, verdict);
  return end;
}

const bool registered = phase_registry().add(
    kSearchPhase, PhaseKind{20, [](const ExperimentConfig&) { return true; }, {"budget.*"},
                            [] { return std::make_unique<SearchPhase>(); }});

}  // namespace
}  // namespace nas
