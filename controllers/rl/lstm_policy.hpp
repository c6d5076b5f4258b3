#pragma once
// The LSTM as a Policy: a space's sample() asks it for each decision, in the space's own order, and
// it answers through the network while recording what it did (LstmRollout). It samples with nas::Rng,
// or takes an architecture's recorded choices to score them (an architecture this controller did not
// propose).
#include <optional>
#include <string>

#include "controllers/rl/decision_kind_table.hpp"
#include "controllers/rl/lstm_rollout.hpp"
#include "core/policy.hpp"

namespace nas::rl {

class LstmPolicy : public Policy {
 public:
  // Samples each decision from the network's distribution over the options it offers.
  LstmPolicy(const LstmPolicyNetwork& network, const DecisionKindTable& kinds, Rng& rng);
  // Takes each decision's recorded choice.
  LstmPolicy(const LstmPolicyNetwork& network, const DecisionKindTable& kinds, std::vector<Choice> recorded);
  // Takes each decision's recorded choice but samples those of kind `resampled_kind` (a child one
  // class of decisions away from a parent: Auto-GNN's conservative explorer). The space must ask the
  // same decisions whatever is chosen.
  LstmPolicy(const LstmPolicyNetwork& network, const DecisionKindTable& kinds, std::vector<Choice> recorded,
             std::string resampled_kind, Rng& rng);

  std::size_t choose(const Decision& decision) override;
  const LstmRollout& rollout() const { return rollout_; }
  // Hands the rollout over (to keep it for the update) once the space has finished asking.
  LstmRollout take_rollout() { return std::move(rollout_); }

 private:
  const DecisionKindTable& kinds_;
  LstmRollout rollout_;
  Rng* rng_ = nullptr;
  std::optional<ReplayPolicy> recorded_;
  std::string resampled_kind_;
};

}  // namespace nas::rl
