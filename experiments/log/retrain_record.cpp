#include "experiments/log/retrain_record.hpp"

#include <cstdio>

#include "core/statistics.hpp"
#include "experiments/log/search_log.hpp"

namespace nas {
namespace {

bool has_number(const Json& entry, const char* key) { return entry.contains(key) && entry.at(key).is_number(); }

std::optional<RetrainedTrial> entry_from_json(const Json& entry) {
  if (!entry.is_object() || !entry.contains("trial") || !entry.at("trial").is_number_integer() ||
      !has_number(entry, "inherited_val_accuracy") || !entry.contains("status") || !entry.at("status").is_string())
    return std::nullopt;
  RetrainedTrial trial;
  trial.trial_id = entry.at("trial").get<std::int64_t>();
  trial.seed = entry.value("seed", std::uint64_t{0});
  trial.inherited_val_accuracy = entry.at("inherited_val_accuracy").get<double>();
  trial.epochs = entry.value("epochs", std::int64_t{0});
  trial.max_steps = entry.value("max_steps", std::int64_t{0});
  trial.done = entry.at("status") == "done";
  if (trial.done) {
    if (!has_number(entry, "val_accuracy")) return std::nullopt;
    trial.val_accuracy = entry.at("val_accuracy").get<double>();
    trial.val_loss = entry.value("val_loss", 0.0);
    trial.params = entry.value("params", std::int64_t{0});
    trial.train_seconds = entry.value("train_seconds", 0.0);
  } else {
    trial.error = entry.value("error", std::string());
  }
  return trial;
}

std::string printed(const char* format, double value) {
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

}  // namespace

Json RetrainedTrial::to_json() const {
  Json entry{{"trial", trial_id},
             {"seed", seed},
             {"inherited_val_accuracy", inherited_val_accuracy},
             {"epochs", epochs},
             {"max_steps", max_steps},
             {"status", done ? "done" : "failed"}};
  if (done) {
    entry["val_accuracy"] = val_accuracy;
    entry["val_loss"] = val_loss;
    entry["params"] = params;
    entry["train_seconds"] = train_seconds;
  } else {
    entry["error"] = error;
  }
  return entry;
}

const RetrainedTrial* RetrainedTrials::best() const {
  const RetrainedTrial* best = nullptr;
  for (const RetrainedTrial& trial : trials)
    if (trial.done && (!best || trial.val_accuracy > best->val_accuracy)) best = &trial;
  return best;
}

const RetrainedTrial* RetrainedTrials::find(std::int64_t trial_id) const {
  for (const RetrainedTrial& trial : trials)
    if (trial.done && trial.trial_id == trial_id) return &trial;
  return nullptr;
}

std::optional<double> RetrainedTrials::kendall_tau() const {
  std::vector<double> inherited, standalone;
  for (const RetrainedTrial& trial : trials)
    if (trial.done) {
      inherited.push_back(trial.inherited_val_accuracy);
      standalone.push_back(trial.val_accuracy);
    }
  return nas::kendall_tau(inherited, standalone);
}

Json RetrainedTrials::state() const {
  Json entries = Json::array();
  for (const RetrainedTrial& trial : trials) entries.push_back(trial.to_json());
  return Json{{"retrained", entries}};
}

RetrainedTrials retrained_trials_from_state(const Json& state) {
  RetrainedTrials read;
  if (!state.is_object() || !state.contains("retrained") || !state.at("retrained").is_array()) return read;
  for (const Json& entry : state.at("retrained"))
    if (std::optional<RetrainedTrial> trial = entry_from_json(entry)) read.trials.push_back(*trial);
  return read;
}

RetrainedTrials read_retrained_trials(const SearchLog& log) {
  for (const PhaseRow& phase : log.phases()) {
    if (phase.name != kRetrainPhase) continue;
    RetrainedTrials read = retrained_trials_from_state(phase.state);
    read.phase_done = phase.status == PhaseStatus::done;
    return read;
  }
  return {};
}

std::string retrained_trials_text(const RetrainedTrials& retrained) {
  if (retrained.trials.empty()) return "";
  std::string text = "Retrained from scratch (inherited: scored with the supernet's weights):\n"
                     "    trial  inherited  stand-alone\n";
  for (const RetrainedTrial& trial : retrained.trials)
    text += printed("  %7.0f", static_cast<double>(trial.trial_id)) + printed("  %9.4f", trial.inherited_val_accuracy) +
            (trial.done ? printed("  %11.4f", trial.val_accuracy) : std::string("       failed")) + "\n";
  const std::optional<double> tau = retrained.kendall_tau();
  return text + "Kendall tau (inherited vs stand-alone ranking): " +
         (tau ? printed("%.3f", *tau) : std::string("undefined (fewer than two retrained, or all equal)")) + "\n";
}

}  // namespace nas
