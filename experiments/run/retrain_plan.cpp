#include "experiments/run/retrain_plan.hpp"

#include "core/config_node.hpp"
#include "core/yaml_json.hpp"
#include "evaluators/training/trainer_options.hpp"

namespace nas {

std::optional<RetrainPlan> read_retrain_plan(const ConfigNode& root) {
  // `retrain:` without keys is the section with its defaults, as an empty section is elsewhere.
  if (!root.written("retrain")) return std::nullopt;
  const ConfigNode section = root.section("retrain");
  RetrainPlan plan;
  plan.top = static_cast<int>(section.integer("top", plan.top, 0, 1000));
  // Read now, so that a misspelt key fails before the supernet trains for an hour.
  (void)read_trainer_options(section);
  section.finish();
  if (plan.top == 0) return std::nullopt;
  plan.trainer = yaml_to_json(section.yaml());
  plan.trainer.erase("top");
  return plan;
}

}  // namespace nas
