#include "controllers/rl/lstm_rollout.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "controllers/rl/vector_kernels.hpp"
#include "core/error.hpp"

namespace nas::rl {
namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// tanh through expf: glibc's tanhf (through expm1f) took a tenth of the controller's time. Absolute
// error stays within a few float ulps of 1, and huge |x| saturates to +-1 without NaN.
float tanh_from_exp(float x) { return 1.0f - 2.0f / (1.0f + std::exp(2.0f * x)); }

}  // namespace

LstmRollout LstmRollout::replay(const LstmPolicyNetwork& network, const RecordedSequence& sequence) {
  LstmRollout rollout(network);
  for (const auto& decision : sequence) {
    rollout.next(decision.kind, decision.offered);
    rollout.take(decision.choice);
  }
  return rollout;
}

const std::vector<double>& LstmRollout::next(std::size_t kind, const std::vector<std::uint8_t>& offered) {
  const LstmPolicyNetwork& network = *network_;
  if (decision_open_) throw Error("rl controller", "a decision was opened before the previous one was taken");
  if (kind >= network.options_per_kind().size())
    throw Error("rl controller", "decision kind " + std::to_string(kind) + " is not one of the network's " +
                                     std::to_string(network.options_per_kind().size()));
  const std::size_t options = network.options_per_kind()[kind];
  if (offered.size() != options || std::find(offered.begin(), offered.end(), 1) == offered.end())
    throw Error("rl controller", "a decision of kind " + std::to_string(kind) + " must flag which of its " +
                                     std::to_string(options) + " options it offers, at least one");

  const std::size_t hidden = network.hidden();
  const float* parameters = network.parameters().data();
  const auto& layout = network.layout();
  const Step* previous = steps_.empty() ? nullptr : &steps_.back();

  Step step;
  step.input_row =
      previous ? network.embedding_row(record_.back().kind, record_.back().choice) : LstmPolicyNetwork::kStartRow;
  step.input.assign(network.input_size(), 0.0f);
  const float* embedding = parameters + layout.embedding + step.input_row * hidden;
  std::copy(embedding, embedding + hidden, step.input.begin());
  if (previous) std::copy(previous->hidden.begin(), previous->hidden.end(), step.input.begin() + hidden);
  // Gates: bias + weight^T input (the first step's zero hidden state is skipped).
  step.gates.assign(parameters + layout.lstm_bias, parameters + layout.lstm_bias + network.gate_size());
  add_combination(step.gates.data(), parameters + layout.lstm_weight, network.gate_size(), step.input.data(),
                  network.input_size(), network.gate_size());

  step.cell.resize(hidden);
  step.cell_tanh.resize(hidden);
  step.hidden.resize(hidden);
  for (std::size_t k = 0; k < hidden; ++k) {
    float& in = step.gates[k];
    float& forget = step.gates[hidden + k];
    float& candidate = step.gates[2 * hidden + k];
    float& out = step.gates[3 * hidden + k];
    in = sigmoid(in);
    forget = sigmoid(forget);
    candidate = tanh_from_exp(candidate);
    out = sigmoid(out);
    const float previous_cell = previous ? previous->cell[k] : 0.0f;
    step.cell[k] = forget * previous_cell + in * candidate;
    step.cell_tanh[k] = tanh_from_exp(step.cell[k]);
    step.hidden[k] = out * step.cell_tanh[k];
  }

  // The kind's head, over the offered options only.
  const float* head_weight = parameters + layout.head_weight[kind];
  const float* head_bias = parameters + layout.head_bias[kind];
  const LogitShaping& shaping = network.shaping();
  step.raw_logits.assign(options, 0.0);
  step.log_probs.assign(options, 0.0);
  step.probs.assign(options, 0.0);
  double max_logit = -std::numeric_limits<double>::infinity();
  for (std::size_t m = 0; m < options; ++m) {
    if (!offered[m]) continue;
    step.raw_logits[m] = static_cast<double>(head_bias[m]) + dot(head_weight + m * hidden, step.hidden.data(), hidden);
    step.log_probs[m] = shaping.logit(step.raw_logits[m]);
    max_logit = std::max(max_logit, step.log_probs[m]);
  }
  double normaliser = 0;
  for (std::size_t m = 0; m < options; ++m)
    if (offered[m]) normaliser += std::exp(step.log_probs[m] - max_logit);
  const double log_normaliser = max_logit + std::log(normaliser);
  for (std::size_t m = 0; m < options; ++m) {
    if (!offered[m]) continue;
    step.log_probs[m] -= log_normaliser;
    step.probs[m] = std::exp(step.log_probs[m]);
    step.entropy -= step.probs[m] * step.log_probs[m];
  }

  steps_.push_back(std::move(step));
  record_.push_back(RecordedDecision{kind, 0, offered, 0.0});
  decision_open_ = true;
  return steps_.back().probs;
}

void LstmRollout::take(std::size_t choice) {
  if (!decision_open_) throw Error("rl controller", "a choice was taken with no decision open");
  RecordedDecision& decision = record_.back();
  if (choice >= decision.offered.size() || !decision.offered[choice])
    throw Error("rl controller", "option " + std::to_string(choice) + " of decision kind " +
                                     std::to_string(decision.kind) + " is not offered");
  decision.choice = choice;
  decision.log_prob = steps_.back().log_probs[choice];
  decision_open_ = false;
}

double LstmRollout::entropy() const {
  double sum = 0;
  for (const auto& step : steps_) sum += step.entropy;
  return sum;
}

void LstmRollout::backward(double log_prob_weight, double entropy_weight, std::vector<float>& gradient) const {
  const LstmPolicyNetwork& network = *network_;
  if (decision_open_) throw Error("rl controller", "backward through a rollout whose last decision is open");
  if (gradient.size() != network.parameters().size())
    throw Error("rl controller", "gradient buffer does not match the network");
  const std::size_t hidden = network.hidden();
  const std::size_t gates = network.gate_size();
  const std::size_t inputs = network.input_size();
  const std::size_t steps = steps_.size();
  const float* parameters = network.parameters().data();
  const float* weight = parameters + network.layout().lstm_weight;
  float* grad = gradient.data();
  const auto& layout = network.layout();
  const LogitShaping& shaping = network.shaping();

  std::vector<float> gate_grads(steps * gates);             // per step, w.r.t. the gate pre-activations
  std::vector<float> hidden_grad_from_later(hidden, 0.0f);  // d loss / d h_t through step t+1
  std::vector<float> cell_grad_from_later(hidden, 0.0f);    // d loss / d c_t through step t+1
  std::vector<float> hidden_grad(hidden);

  // Back through time: the heads, the cell, and the recurrent weights' share of the gates.
  for (std::size_t t = steps; t-- > 0;) {
    const Step& step = steps_[t];
    const RecordedDecision& decision = record_[t];
    const std::size_t kind = decision.kind;

    // Head: d/d logit_m of log p(choice) is [m == choice] - p_m; of the entropy, -p_m (log p_m + H).
    hidden_grad = hidden_grad_from_later;
    const float* head_weight = parameters + layout.head_weight[kind];
    float* head_weight_grad = grad + layout.head_weight[kind];
    float* head_bias_grad = grad + layout.head_bias[kind];
    for (std::size_t m = 0; m < decision.offered.size(); ++m) {
      if (!decision.offered[m]) continue;
      const double p = step.probs[m];
      const double logit_grad = log_prob_weight * ((m == decision.choice ? 1.0 : 0.0) - p) -
                                entropy_weight * p * (step.log_probs[m] + step.entropy);
      const float raw_grad = static_cast<float>(logit_grad * shaping.derivative(step.raw_logits[m]));
      head_bias_grad[m] += raw_grad;
      add_scaled(head_weight_grad + m * hidden, step.hidden.data(), raw_grad, hidden);
      add_scaled(hidden_grad.data(), head_weight + m * hidden, raw_grad, hidden);
    }

    // Cell: h = o tanh(c), c = f c_prev + i g.
    const Step* previous = t > 0 ? &steps_[t - 1] : nullptr;
    float* gate_grad = gate_grads.data() + t * gates;
    for (std::size_t k = 0; k < hidden; ++k) {
      const float in = step.gates[k];
      const float forget = step.gates[hidden + k];
      const float candidate = step.gates[2 * hidden + k];
      const float out = step.gates[3 * hidden + k];
      const float cell_tanh = step.cell_tanh[k];
      const float previous_cell = previous ? previous->cell[k] : 0.0f;
      const float cell_grad = cell_grad_from_later[k] + hidden_grad[k] * out * (1.0f - cell_tanh * cell_tanh);
      gate_grad[k] = cell_grad * candidate * in * (1.0f - in);
      gate_grad[hidden + k] = cell_grad * previous_cell * forget * (1.0f - forget);
      gate_grad[2 * hidden + k] = cell_grad * in * (1.0f - candidate * candidate);
      gate_grad[3 * hidden + k] = hidden_grad[k] * cell_tanh * out * (1.0f - out);
      cell_grad_from_later[k] = cell_grad * forget;
    }
    // The first step's hidden input is the constant zero: nothing to pass back to it.
    if (previous)
      for (std::size_t k = 0; k < hidden; ++k)
        hidden_grad_from_later[k] = dot(weight + (hidden + k) * gates, gate_grad, gates);
  }

  // The gate weights, bias and embeddings, summed over the steps row by row: each weight row and
  // its gradient are read once, the steps' gate gradients stay in cache.
  const std::vector<float> ones(steps, 1.0f);
  add_combination(grad + layout.lstm_bias, gate_grads.data(), gates, ones.data(), steps, gates);
  float* weight_grad = grad + layout.lstm_weight;
  std::vector<float> inputs_at_row(steps);
  for (std::size_t j = 0; j < inputs; ++j) {
    for (std::size_t t = 0; t < steps; ++t) inputs_at_row[t] = steps_[t].input[j];
    add_combination(weight_grad + j * gates, gate_grads.data(), gates, inputs_at_row.data(), steps, gates);
    if (j < hidden)
      for (std::size_t t = 0; t < steps; ++t)
        grad[layout.embedding + steps_[t].input_row * hidden + j] +=
            dot(weight + j * gates, gate_grads.data() + t * gates, gates);
  }
}

}  // namespace nas::rl
