#include "core/trial.hpp"

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

}  // namespace nas
