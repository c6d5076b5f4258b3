#include "controllers/rl/lstm_policy.hpp"

namespace nas::rl {

LstmPolicy::LstmPolicy(const LstmPolicyNetwork& network, const DecisionKindTable& kinds, Rng& rng)
    : kinds_(kinds), rollout_(network), rng_(&rng) {}

LstmPolicy::LstmPolicy(const LstmPolicyNetwork& network, const DecisionKindTable& kinds, std::vector<Choice> recorded)
    : kinds_(kinds), rollout_(network), recorded_(std::in_place, std::move(recorded)) {}

std::size_t LstmPolicy::choose(const Decision& decision) {
  const OfferedOptions offered = kinds_.offered(decision);
  const std::vector<double>& probabilities = rollout_.next(offered.kind, offered.mask);
  // Masked options have weight 0, which Rng::weighted never draws.
  const std::size_t index =
      recorded_ ? recorded_->choose(decision) : offered.decision_option(rng_->weighted(probabilities));
  rollout_.take(offered.kind_option[index]);
  return index;
}

}  // namespace nas::rl
