#include "experiments/search_resume.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/suggest.hpp"
#include "experiments/logged_architecture.hpp"

namespace nas {
namespace {

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

void check_overrides(const std::vector<std::string>& overrides) {
  const auto& accepted = resumable_override_keys();
  for (const std::string& assignment : overrides) {
    const std::string key = assignment.substr(0, assignment.find('='));
    const bool ok = std::any_of(accepted.begin(), accepted.end(), [&](const std::string& allowed) {
      return key == allowed || (allowed.back() == '*' && key.rfind(allowed.substr(0, allowed.size() - 1), 0) == 0);
    });
    if (!ok)
      throw Error("--set " + assignment, "'" + key +
                                             "' cannot change when a search resumes: it would make another search "
                                             "(start that with nas run); " + accepted_list(key, accepted));
  }
}

}  // namespace

const std::vector<std::string>& resumable_override_keys() {
  static const std::vector<std::string> keys = {"budget.*", "reevaluate.*", "evaluator.workers",
                                                 "evaluator.threads_per_worker"};
  return keys;
}

ResumedSearch prepare_resume(const std::string& dir, const std::vector<std::string>& overrides) {
  check_overrides(overrides);
  SearchLog log = SearchLog::open(dir, SearchLog::Mode::read_write);
  const RunInfo info = log.info();
  Experiment experiment = load_logged_experiment(info.experiment_json, log.path(), overrides);
  experiment.config.text = info.experiment_text;

  ResumedSearch resumed{std::move(log), std::move(experiment), SearchStart{}, 0};
  SearchLog& opened = resumed.log;
  SearchStart& start = resumed.start;
  const std::optional<Checkpoint> checkpoint = opened.latest_checkpoint();
  if (checkpoint) {
    try {
      resumed.experiment.controller->restore(checkpoint->controller);
    } catch (const std::exception& e) {
      throw Error(opened.path(), "the controller state after trial " + std::to_string(checkpoint->after_trial) +
                                     " cannot be restored: " + e.what());
    }
    start.next_id = checkpoint->proposed;
    start.search_seconds = checkpoint->search_seconds;
  }

  const SearchSpace& space = *resumed.experiment.space;
  for (const TrialRow& row : opened.trials()) {
    if (row.id >= start.next_id) {
      ++resumed.discarded;
      continue;
    }
    if (row.status == TrialStatus::pending || row.status == TrialStatus::running) {
      Trial trial = trial_from_row(row, space, opened.path());
      trial.status = TrialStatus::pending;
      start.requeue.push_back(std::move(trial));
      continue;
    }
    ++start.done;
    if (row.status == TrialStatus::failed) ++start.failed;
    if (row.reused_from >= 0) ++start.reused;
    else if (row.metrics) start.train_seconds += row.metrics->train_seconds;
  }
  if (const std::optional<TrialRow> best = opened.best()) start.best = trial_from_row(*best, space, opened.path());
  opened.discard_trials_from(start.next_id);
  if (resumed.experiment.config.effective != info.experiment_json)
    opened.update_experiment(resumed.experiment.config.effective,
                             stable_hash_hex(resumed.experiment.config.effective.dump()));
  return resumed;
}

}  // namespace nas
