#include "controllers/rl/lstm_policy.hpp"

#include <cmath>

#include "core/error.hpp"

namespace nas::rl {

LstmPolicy::LstmPolicy(const LstmPolicyNetwork& network, const DecisionKindTable& kinds, Rng& rng)
    : kinds_(kinds), rollout_(network), rng_(&rng) {}

LstmPolicy::LstmPolicy(const LstmPolicyNetwork& network, const DecisionKindTable& kinds, std::vector<Choice> recorded)
    : kinds_(kinds), rollout_(network), recorded_(std::in_place, std::move(recorded)) {}

LstmPolicy::LstmPolicy(const LstmPolicyNetwork& network, const DecisionKindTable& kinds, std::vector<Choice> recorded,
                       std::string resampled_kind, Rng& rng)
    : kinds_(kinds),
      rollout_(network),
      rng_(&rng),
      recorded_(std::in_place, std::move(recorded)),
      resampled_kind_(std::move(resampled_kind)) {}

std::size_t LstmPolicy::choose(const Decision& decision) {
  const OfferedOptions offered = kinds_.offered(decision);
  const std::vector<double>& probabilities = rollout_.next(offered.kind, offered.mask);
  for (const double probability : probabilities)
    if (!std::isfinite(probability))
      throw Error("controller", "the rl policy diverged: the probability of an option of decision '" + decision.key +
                                    "' is not a finite number. A smaller controller.lr, a larger "
                                    "controller.temperature or a smaller controller.tanh_constant keeps it stable");
  // The record is read at every decision, resampled or not, so that it stays in step with the space.
  const std::optional<std::size_t> replayed = recorded_ ? std::optional<std::size_t>(recorded_->choose(decision)) : std::nullopt;
  const bool sample = !replayed || (!resampled_kind_.empty() && decision.kind == resampled_kind_);
  // Masked options have weight 0, which Rng::weighted never draws.
  const std::size_t index = sample ? offered.decision_option(rng_->weighted(probabilities)) : *replayed;
  rollout_.take(offered.kind_option[index]);
  return index;
}

}  // namespace nas::rl
