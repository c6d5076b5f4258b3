#pragma once
// The attention (correlation) functions of GraphNAS's space: how much a message j -> i weighs, per
// head, before aggregation. Each is given in LibTorch and as a TorchScript call, from one table.
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

namespace nas {

class ScriptEmitter;

struct AttentionInputs {
  const torch::Tensor& h;      // projected features [N, heads, units]
  const torch::Tensor& edges;  // [2, E], self-loops included
  const torch::Tensor& att_l;  // [1, heads, units], for the target i; undefined where not learned
  const torch::Tensor& att_r;  // [1, heads, units], for the source j
  const torch::Tensor& general;  // [units], generalized-linear's output weights
};

struct GraphAttention {
  std::string name;
  bool learned = false;   // has the vectors att_l and att_r
  bool general = false;   // has the vector `general`
  bool softmax = false;   // normalised by a softmax over each neighbourhood
  std::function<torch::Tensor(const AttentionInputs&)> coefficients;  // [E, heads]
  // The same as a TorchScript expression of h, edges and the module's att_l, att_r, general.
  std::string script_call;
};

// GraphNAS's order: const, gcn, gat, sym-gat, cos, linear, generalized-linear.
const std::vector<GraphAttention>& graph_attentions();
std::vector<std::string> graph_attention_names();
// Throws nas::Error naming the accepted functions for an unknown name.
const GraphAttention& graph_attention(const std::string& name);

// The TorchScript functions script_call refers to (library "graph_attention").
void define_attention_functions(ScriptEmitter& emitter);

}  // namespace nas
