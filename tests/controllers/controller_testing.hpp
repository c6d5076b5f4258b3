#pragma once
// What the controller tests share: building a controller from YAML, a trial result to observe, and
// the toy objective they climb.
#include <memory>
#include <string>

#include "controllers/controller.hpp"

namespace nas::testing {

inline std::unique_ptr<Controller> make_controller_from(const std::string& yaml, const SearchSpace& space,
                                                        std::uint64_t seed = 0) {
  const ConfigNode root = ConfigNode::parse(yaml, "test.yaml");
  return make_controller(root.section("controller"), space, seed);
}

inline Trial trial_result(std::int64_t id, const Architecture& arch, double accuracy, bool failed = false) {
  Trial trial;
  trial.id = id;
  trial.arch = arch;
  trial.status = failed ? TrialStatus::failed : TrialStatus::done;
  trial.metrics.val_accuracy = accuracy;
  return trial;
}

// The toy objective: the fraction of decisions that chose "o2".
inline double o2_fraction(const Architecture& arch) {
  double score = 0;
  for (const auto& choice : arch.choices()) score += choice.label == "o2";
  return score / static_cast<double>(arch.choices().size());
}

}  // namespace nas::testing
