#pragma once
// One pass of the policy network over a sequence of decisions: opened one at a time (the input of a
// step depends on the previous choice), keeping every activation so that backward() can compute the
// gradient of the sequence's log-probability and entropy. Sampling and replay run this same code,
// so a replayed sequence gets the log-probability it was sampled with, to the bit.
#include <vector>

#include "controllers/rl/lstm_policy_network.hpp"
#include "controllers/rl/recorded_sequence.hpp"

namespace nas::rl {

class LstmRollout {
 public:
  explicit LstmRollout(const LstmPolicyNetwork& network) : network_(&network) {}
  // Runs `sequence`'s recorded choices through the network as it is now.
  static LstmRollout replay(const LstmPolicyNetwork& network, const RecordedSequence& sequence);

  // Runs one LSTM step for the next decision, of kind `kind` offering the options flagged in
  // `offered`, and returns the probability of each of the kind's options (0 where not offered: the
  // others are masked out of the softmax and the entropy).
  const std::vector<double>& next(std::size_t kind, const std::vector<std::uint8_t>& offered);
  // Fixes the choice (an index among the kind's options) of the decision next() opened.
  void take(std::size_t choice);

  // The decisions so far, each with its log-probability under the network.
  const RecordedSequence& record() const { return record_; }
  double log_prob() const { return total_log_prob(record_); }
  double entropy() const;  // summed over the decisions
  // The entropy of the distribution decision `step` was drawn from (over its offered options).
  double step_entropy(std::size_t step) const { return steps_.at(step).entropy; }

  // Adds to `gradient` (laid out as the network's parameters) the gradient of
  //   log_prob_weight * log_prob() + entropy_weight * entropy().
  // Only the recurrent part runs step by step; the weight gradient is summed over the steps in one
  // pass over the weights at the end (the weights and their gradient do not fit in cache together).
  void backward(double log_prob_weight, double entropy_weight, std::vector<float>& gradient) const;

 private:
  struct Step {
    std::size_t input_row = 0;  // embedding row read at this step
    std::vector<float> input;   // that embedding, then the previous hidden state
    std::vector<float> gates;   // i, f, g, o after their nonlinearities
    std::vector<float> cell;
    std::vector<float> cell_tanh;
    std::vector<float> hidden;
    std::vector<double> raw_logits;  // head outputs before shaping (offered options only)
    std::vector<double> log_probs;   // offered options only
    std::vector<double> probs;       // 0 where not offered
    double entropy = 0;
  };

  const LstmPolicyNetwork* network_;
  std::vector<Step> steps_;
  RecordedSequence record_;
  bool decision_open_ = false;
};

}  // namespace nas::rl
