#include "experiments/run/reevaluation_plan.hpp"

#include <iomanip>
#include <sstream>

#include "core/config_node.hpp"

namespace nas {

std::optional<ReevaluationPlan> read_reevaluation_plan(const ConfigNode& root) {
  // `reevaluate:` without keys is the section with its defaults, as an empty section is elsewhere.
  if (!root.written("reevaluate")) return std::nullopt;
  const ConfigNode section = root.section("reevaluate");
  ReevaluationPlan plan;
  plan.top = static_cast<int>(section.integer("top", plan.top, 1, 1000));
  // 0 turns a file's re-evaluation off from the command line (--set reevaluate.repeats=0).
  plan.repeats = static_cast<int>(section.integer("repeats", plan.repeats, 0, 1000));
  plan.workers = static_cast<int>(section.integer("workers", plan.workers, 0, 256));
  // Read even when absent, so that an error about another key lists it among the accepted ones.
  const double limit = section.number("trial_time_limit", 0, 0);
  if (section.has("trial_time_limit")) {
    std::ostringstream seconds;
    seconds << std::setprecision(17) << limit;  // the override text must give back the same number
    plan.trial_time_limit = seconds.str();
  }
  section.finish();
  if (plan.repeats == 0) return std::nullopt;
  return plan;
}

std::vector<std::pair<std::string, std::string>> evaluator_overrides(const ReevaluationPlan& plan) {
  std::vector<std::pair<std::string, std::string>> overrides;
  if (plan.workers > 0) overrides.emplace_back("workers", std::to_string(plan.workers));
  if (!plan.trial_time_limit.empty()) overrides.emplace_back("trial_time_limit", plan.trial_time_limit);
  return overrides;
}

}  // namespace nas
