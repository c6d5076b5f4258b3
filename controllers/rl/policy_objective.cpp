#include "controllers/rl/policy_objective.hpp"

#include <algorithm>
#include <cmath>

#include "controllers/rl/positive_option.hpp"

namespace nas::rl {
namespace {

// REINFORCE (Williams 1992): loss = -advantage * log p(architecture).
class Reinforce : public PolicyObjective {
 public:
  int passes() const override { return 1; }
  double log_prob_weight(double, double, double advantage) const override { return -advantage; }
};

// PPO's clipped surrogate (Schulman et al. 2017; NASNet trains its controller with it), on the
// probability of a whole architecture (the product over its decisions):
// loss = -min(r A, clip(r, 1 - e, 1 + e) A) with r = p_now / p_sampled. Where the clipped term is
// the smaller, the loss is flat in r and that architecture contributes no gradient.
class ClippedPpo : public PolicyObjective {
 public:
  ClippedPpo(double clip, int epochs) : clip_(clip), epochs_(epochs) {}
  int passes() const override { return epochs_; }
  double log_prob_weight(double log_prob, double sampled_log_prob, double advantage) const override {
    const double ratio = std::exp(log_prob - sampled_log_prob);
    const double clipped = std::clamp(ratio, 1.0 - clip_, 1.0 + clip_);
    if (clipped * advantage < ratio * advantage) return 0.0;
    return -advantage * ratio;  // d(r A)/d log p = r A
  }

 private:
  double clip_;
  int epochs_;
};

const bool registered_reinforce =
    policy_objective_registry().add("reinforce", [](const ConfigNode&) { return std::make_unique<Reinforce>(); });

const bool registered_ppo = policy_objective_registry().add("ppo", [](const ConfigNode& options) {
  const double clip = positive_number(options, "clip", 0.2, 1.0);
  const auto epochs = options.integer("ppo_epochs", 4, 1, 1000);
  return std::make_unique<ClippedPpo>(clip, static_cast<int>(epochs));
});

}  // namespace

Registry<PolicyObjectiveFactory>& policy_objective_registry() {
  static Registry<PolicyObjectiveFactory> registry;
  return registry;
}

}  // namespace nas::rl
