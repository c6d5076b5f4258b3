#include "core/trial.hpp"

#include <cmath>

#include "core/error.hpp"

namespace nas {

std::string to_string(TrialStatus status) {
  switch (status) {
    case TrialStatus::pending: return "pending";
    case TrialStatus::running: return "running";
    case TrialStatus::done: return "done";
    case TrialStatus::failed: return "failed";
  }
  return "unknown";
}

TrialStatus trial_status_from_string(const std::string& text) {
  if (text == "pending") return TrialStatus::pending;
  if (text == "running") return TrialStatus::running;
  if (text == "done") return TrialStatus::done;
  if (text == "failed") return TrialStatus::failed;
  throw Error("", "unknown trial status '" + text + "'");
}

Json to_json(const TrialMetrics& metrics) {
  return Json{{"val_accuracy", metrics.val_accuracy},
              {"val_loss", metrics.val_loss},
              {"params", metrics.params},
              {"madds", metrics.madds},
              {"train_seconds", metrics.train_seconds},
              {"reported", metrics.reported}};
}

TrialMetrics trial_metrics_from_json(const Json& json, const std::string& where) {
  if (!json.is_object()) throw Error(where, "must be an object of metrics");
  const auto figure = [&](const char* key) -> const Json& {
    if (!json.contains(key)) throw Error(where, std::string("has no '") + key + "'");
    const Json& value = json.at(key);
    if (!value.is_number()) throw Error(where + "." + key, "must be a number");
    return value;
  };
  const auto finite = [&](const char* key) {
    const double value = figure(key).get<double>();
    if (!std::isfinite(value)) throw Error(where + "." + key, "must be finite");
    return value;
  };
  const auto count = [&](const char* key) {
    const Json& value = figure(key);
    if (!value.is_number_integer()) throw Error(where + "." + key, "must be a whole number");
    return value.get<std::int64_t>();
  };
  TrialMetrics metrics;
  metrics.val_accuracy = finite("val_accuracy");
  metrics.val_loss = finite("val_loss");
  metrics.params = count("params");
  metrics.madds = count("madds");
  metrics.train_seconds = finite("train_seconds");
  if (!json.contains("reported") || !json.at("reported").is_object())
    throw Error(where + ".reported", "must be an object of name: number");
  for (const auto& [name, value] : json.at("reported").items()) {
    if (!value.is_number() || !std::isfinite(value.get<double>()))
      throw Error(where + ".reported." + name, "must be a finite number");
    metrics.reported[name] = value.get<double>();
  }
  return metrics;
}

}  // namespace nas
