#pragma once
// What readers of a search log (`nas ls`, the HTML report) take from its effective configuration
// (RunInfo::experiment_json) without loading the experiment, which would load its data too.
#include <cstdint>

#include "core/json.hpp"

namespace nas {

// budget.trials when the experiment file does not set it.
constexpr std::int64_t kDefaultTrialBudget = 24;

// budget.trials of an effective configuration, which holds only the keys the file or --set gave: the
// default when it is absent.
std::int64_t budget_trials(const Json& effective);

}  // namespace nas
