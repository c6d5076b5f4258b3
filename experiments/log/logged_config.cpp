#include "experiments/log/logged_config.hpp"

namespace nas {

std::int64_t budget_trials(const Json& effective) {
  if (effective.contains("budget") && effective["budget"].is_object() && effective["budget"].contains("trials") &&
      effective["budget"]["trials"].is_number_integer())
    return effective["budget"]["trials"].get<std::int64_t>();
  return kDefaultTrialBudget;
}

}  // namespace nas
