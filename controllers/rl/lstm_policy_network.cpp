#include "controllers/rl/lstm_policy_network.hpp"

#include <cmath>

namespace nas::rl {

double LogitShaping::logit(double raw) const {
  const double scaled = raw / temperature;
  return tanh_constant > 0 ? tanh_constant * std::tanh(scaled) : scaled;
}

double LogitShaping::derivative(double raw) const {
  if (!(tanh_constant > 0)) return 1.0 / temperature;
  const double bounded = std::tanh(raw / temperature);
  return tanh_constant / temperature * (1.0 - bounded * bounded);
}

LstmPolicyNetwork::LstmPolicyNetwork(std::size_t hidden, std::vector<std::size_t> options_per_kind,
                                     LogitShaping shaping)
    : hidden_(hidden), options_per_kind_(std::move(options_per_kind)), shaping_(shaping) {
  std::size_t next = 0;
  auto block = [&](std::size_t size) {
    const std::size_t offset = next;
    next += size;
    return offset;
  };
  layout_.lstm_weight = block(input_size() * gate_size());
  layout_.lstm_bias = block(gate_size());
  std::size_t embedding_rows = 1;  // the start row
  for (std::size_t options : options_per_kind_) {
    layout_.first_embedding_row.push_back(embedding_rows);
    embedding_rows += options;
  }
  layout_.embedding = block(embedding_rows * hidden_);
  for (std::size_t options : options_per_kind_) {
    layout_.head_weight.push_back(block(options * hidden_));
    layout_.head_bias.push_back(block(options));
  }
  layout_.total = next;
  parameters_.assign(layout_.total, 0.0f);
}

void LstmPolicyNetwork::initialise(Rng& rng, double range) {
  for (float& weight : parameters_) weight = static_cast<float>((2.0 * rng.uniform() - 1.0) * range);
}

}  // namespace nas::rl
