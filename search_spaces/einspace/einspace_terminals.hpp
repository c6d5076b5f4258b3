#pragma once
// The terminal operations of einspace (Ericsson et al. 2024) with their parameters, one table for
// the grammar (labels, which symbol they belong to), shape inference, the network and export.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace nas {

enum class EinOp {
  // B: branching
  clone, group,
  // A: aggregation
  matmul, add, concat,
  // P and R: routing
  identity, permute, im2col, col2im,
  // C: computation (identity above serves C too)
  linear, norm, leaky_relu, softmax, pos_enc,
};

struct EinTerminal {
  std::string label;   // as offered to a policy and written in genotypes, e.g. "im2col(3,1,1)"
  std::string symbol;  // "B", "A", "P", "R" or "C"
  EinOp op = EinOp::identity;
  int branches = 0;     // clone, group, concat: b
  int dim = 0;          // group, concat: the split/joined axis, 1-based after the batch axis
  bool scaled = false;  // matmul: times 1/sqrt(last dim of the first operand)
  int order[3] = {0, 0, 0};  // permute: the new order of the non-batch axes, 1-based
  int kernel = 0, stride = 0, padding = 0;  // im2col
  // linear: a fixed width (d > 0), or a multiple (num/den) of the input's last axis (the seeds'
  // linear_x4 and linear_4th, outside the sampling grammar).
  std::int64_t width = 0;
  int width_num = 0, width_den = 1;
  bool seed_only = false;  // never sampled; only in given architectures (the seeds)
};

// Every terminal in grammar order, per symbol: B (12), A (12), P (14), R (8), C (13 + 2 seed-only).
const std::vector<EinTerminal>& einspace_terminals();
// The terminal with this symbol and label, or nullptr.
const EinTerminal* find_einspace_terminal(const std::string& symbol, const std::string& label);

}  // namespace nas
