#pragma once
// What a policy-gradient update maximises, given each architecture's log-probability now, when it
// was sampled, and its advantage. An objective is a sum over architectures of a function of these,
// so all an update needs from it is d(loss)/d(log-probability) per architecture: the network's
// backward pass does the rest. Registered by name: `controller.algorithm`.
#include <functional>
#include <memory>

#include "core/config_node.hpp"
#include "core/registry.hpp"

namespace nas::rl {

class PolicyObjective {
 public:
  virtual ~PolicyObjective() = default;
  // Gradient steps taken on each batch.
  virtual int passes() const = 0;
  // d(loss)/d(log_prob) for one architecture (before averaging over the batch).
  virtual double log_prob_weight(double log_prob, double sampled_log_prob, double advantage) const = 0;
};

using PolicyObjectiveFactory = std::function<std::unique_ptr<PolicyObjective>(const ConfigNode& options)>;
Registry<PolicyObjectiveFactory>& policy_objective_registry();

}  // namespace nas::rl
