#include "experiments/post/retrained_trials.hpp"

#include "core/json.hpp"
#include "experiments/log/search_log.hpp"

namespace nas {

const RetrainedTrial* RetrainedTrials::best() const {
  const RetrainedTrial* best = nullptr;
  for (const RetrainedTrial& trial : trials)
    if (!best || trial.val_accuracy > best->val_accuracy) best = &trial;
  return best;
}

const RetrainedTrial* RetrainedTrials::find(std::int64_t trial_id) const {
  for (const RetrainedTrial& trial : trials)
    if (trial.trial_id == trial_id) return &trial;
  return nullptr;
}

RetrainedTrials read_retrained_trials(const SearchLog& log) {
  RetrainedTrials read;
  for (const PhaseRow& phase : log.phases()) {
    if (phase.name != kRetrainPhase) continue;
    read.phase_done = phase.status == PhaseStatus::done;
    if (!phase.state.is_object() || !phase.state.contains("retrained") || !phase.state.at("retrained").is_array())
      continue;
    for (const Json& entry : phase.state.at("retrained")) {
      if (entry.value("status", "") != "done") continue;
      RetrainedTrial trial;
      trial.trial_id = entry.at("trial").get<std::int64_t>();
      trial.val_accuracy = entry.at("val_accuracy").get<double>();
      trial.val_loss = entry.value("val_loss", 0.0);
      trial.inherited_val_accuracy = entry.value("inherited_val_accuracy", 0.0);
      trial.train_seconds = entry.value("train_seconds", 0.0);
      trial.epochs = entry.value("epochs", std::int64_t{0});
      trial.max_steps = entry.value("max_steps", std::int64_t{0});
      read.trials.push_back(trial);
    }
  }
  return read;
}

}  // namespace nas
