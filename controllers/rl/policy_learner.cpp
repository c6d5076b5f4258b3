#include "controllers/rl/policy_learner.hpp"

#include <optional>

namespace nas::rl {

PolicyLearner::PolicyLearner(LstmPolicyNetwork& network, std::unique_ptr<PolicyObjective> objective,
                             double learning_rate, double entropy_weight)
    : network_(network),
      objective_(std::move(objective)),
      entropy_weight_(entropy_weight),
      optimizer_(network.parameters().size(), learning_rate),
      gradient_(network.parameters().size(), 0.0f) {}

void PolicyLearner::update(const std::vector<ScoredSequence>& batch) {
  if (batch.empty()) return;
  const double share = 1.0 / static_cast<double>(batch.size());
  for (int pass = 0; pass < objective_->passes(); ++pass) {
    for (const auto& scored : batch) {
      std::optional<LstmRollout> replayed;
      if (!scored.sampled || scored.sampled_after_updates != updates())
        replayed.emplace(LstmRollout::replay(network_, scored.decisions));
      const LstmRollout& rollout = replayed ? *replayed : *scored.sampled;
      const double weight =
          objective_->log_prob_weight(rollout.log_prob(), total_log_prob(scored.decisions), scored.advantage);
      rollout.backward(share * weight, -share * entropy_weight_, gradient_);
    }
    optimizer_.step(network_.parameters(), gradient_);  // and clears gradient_
  }
}

}  // namespace nas::rl
