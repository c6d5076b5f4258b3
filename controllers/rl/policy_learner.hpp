#pragma once
// One policy-gradient update from a batch of scored architectures: each is replayed through the
// network as it is now (the recorded choices, with gradients), the objective turns log-probabilities
// and advantages into the loss, an entropy bonus is added, and Adam takes the step. The objective
// says how many such passes a batch gets (PPO: several).
#include <memory>

#include "controllers/rl/adam.hpp"
#include "controllers/rl/lstm_rollout.hpp"
#include "controllers/rl/policy_objective.hpp"
#include "controllers/rl/recorded_sequence.hpp"

namespace nas::rl {

struct ScoredSequence {
  RecordedSequence decisions;  // with the log-probabilities they were sampled with
  double advantage = 0;
  // The rollout that sampled it and the update count of the weights it sampled with: while the
  // weights are unchanged it stands in for a replay, which would give the same bits (not checkpointed).
  std::shared_ptr<const LstmRollout> sampled;
  std::int64_t sampled_after_updates = -1;
};

class PolicyLearner {
 public:
  PolicyLearner(LstmPolicyNetwork& network, std::unique_ptr<PolicyObjective> objective, double learning_rate,
                double entropy_weight);

  // loss = mean over the batch of (objective - entropy_weight * entropy), minimised by Adam.
  void update(const std::vector<ScoredSequence>& batch);

  // Gradient steps taken so far: which version of the weights a rollout was sampled with.
  std::int64_t updates() const { return optimizer_.steps(); }

  Json state() const { return optimizer_.state(); }
  void restore(const Json& state) { optimizer_.restore(state); }

 private:
  LstmPolicyNetwork& network_;
  std::unique_ptr<PolicyObjective> objective_;
  double entropy_weight_;
  Adam optimizer_;
  std::vector<float> gradient_;
};

}  // namespace nas::rl
