#pragma once
// The rl controller's policy: a one-layer LSTM whose input at each step is an embedding of the
// previous choice (a start embedding first), with one linear output head per decision kind.
//
// The weights live here; the forward and backward passes are written out by hand in
// lstm_rollout.cpp instead of using LibTorch: at this size (hidden 100, a handful of steps)
// LibTorch's per-op overhead dominates, and a sample, a replay with autograd, its backward and an
// Adam step measured about 7 ms on this project's 2-core machine, against a budget well under 1 ms
// per architecture for searches on lookup tables. Plain loops also leave torch's global generator
// and thread settings alone, and give the same bits on every run, which is what lets a resumed
// search continue exactly.
#include <cstddef>
#include <vector>

#include "core/rng.hpp"

namespace nas::rl {

// How raw head outputs become logits: tanh_constant * tanh(raw / temperature), or raw / temperature
// when tanh_constant is 0 (ENAS and GraphNAS bound their logits this way to keep exploring). The
// defaults are a plain softmax.
struct LogitShaping {
  double temperature = 1.0;
  double tanh_constant = 0.0;

  double logit(double raw) const;
  double derivative(double raw) const;  // d logit / d raw
};

class LstmPolicyNetwork {
 public:
  // Where each weight block sits in parameters() (and in a gradient of the same size).
  struct Layout {
    std::size_t lstm_weight = 0;  // (embedding + hidden) rows of 4*hidden gate inputs; gates i, f, g, o
    std::size_t lstm_bias = 0;    // 4*hidden
    std::size_t embedding = 0;    // rows of `hidden`: the start row, then each kind's options in order
    std::vector<std::size_t> first_embedding_row;  // per kind
    std::vector<std::size_t> head_weight;          // per kind: options x hidden
    std::vector<std::size_t> head_bias;            // per kind: options
    std::size_t total = 0;
  };

  LstmPolicyNetwork(std::size_t hidden, std::vector<std::size_t> options_per_kind, LogitShaping shaping);

  std::size_t hidden() const { return hidden_; }
  std::size_t input_size() const { return 2 * hidden_; }  // embedding (as wide as the hidden state) + hidden
  std::size_t gate_size() const { return 4 * hidden_; }
  const std::vector<std::size_t>& options_per_kind() const { return options_per_kind_; }
  const LogitShaping& shaping() const { return shaping_; }
  const Layout& layout() const { return layout_; }
  std::size_t embedding_row(std::size_t kind, std::size_t option) const {
    return layout_.first_embedding_row[kind] + option;
  }
  static constexpr std::size_t kStartRow = 0;

  // Every weight in one vector, so that the optimizer and the checkpoint handle a single block.
  std::vector<float>& parameters() { return parameters_; }
  const std::vector<float>& parameters() const { return parameters_; }

  // Uniform in [-range, range], drawn in parameter order: deterministic from the seed.
  void initialise(Rng& rng, double range);

 private:
  std::size_t hidden_;
  std::vector<std::size_t> options_per_kind_;
  LogitShaping shaping_;
  Layout layout_;
  std::vector<float> parameters_;
};

}  // namespace nas::rl
