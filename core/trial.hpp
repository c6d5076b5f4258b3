#pragma once
// One evaluation of one architecture, as the run loop, the controllers and the search log see it.
#include <cstdint>
#include <map>
#include <string>

#include "core/architecture.hpp"
#include "core/json.hpp"

namespace nas {

enum class TrialStatus { pending, running, done, failed };
std::string to_string(TrialStatus status);
TrialStatus trial_status_from_string(const std::string& text);

struct TrialMetrics {
  double val_accuracy = 0;
  double val_loss = 0;
  std::int64_t params = 0;
  std::int64_t madds = 0;
  double train_seconds = 0;
  // Further figures an evaluator reports but the search never uses, e.g. a benchmark table's test
  // accuracy of the cell (`evaluator.report`). Finite values only.
  std::map<std::string, double> reported;
};

// {"val_accuracy", "val_loss", "params", "madds", "train_seconds", "reported": {name: value}}: how
// results travel (trial_request.hpp). Reading refuses (nas::Error naming `where`) missing keys, wrong
// types and figures that are not finite.
Json to_json(const TrialMetrics& metrics);
TrialMetrics trial_metrics_from_json(const Json& json, const std::string& where);

struct Trial {
  std::int64_t id = 0;
  Architecture arch;
  std::uint64_t seed = 0;
  TrialStatus status = TrialStatus::pending;
  TrialMetrics metrics;
  std::string error;                // why it failed
  std::int64_t reused_from = -1;    // id of the trial whose result was reused, or -1
  std::string trained_on;           // where it trained, e.g. "rank 2 on node7" on MPI; empty: this machine
};

}  // namespace nas
