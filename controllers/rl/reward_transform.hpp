#pragma once
// How a trial's validation accuracy becomes the controller's reward; some transforms keep a history,
// which is part of the controller's checkpoint. Registered by name: `controller.reward`.
#include <functional>
#include <memory>

#include "core/config_node.hpp"
#include "core/json.hpp"
#include "core/registry.hpp"

namespace nas::rl {

class RewardTransform {
 public:
  virtual ~RewardTransform() = default;
  // The reward of a successful trial with this validation accuracy; may record it.
  virtual double reward(double accuracy) = 0;
  virtual Json state() const { return nullptr; }
  virtual void restore(const Json&) {}
};

using RewardTransformFactory = std::function<std::unique_ptr<RewardTransform>(const ConfigNode& options)>;
Registry<RewardTransformFactory>& reward_transform_registry();

}  // namespace nas::rl
