#pragma once
// The aggregators of GraphNAS's space: how the weighted messages into a node combine. sum adds them;
// mean and max first map each message through a two-layer linear MLP (units -> 128 -> units, no
// nonlinearity between, as GraphNAS has it), mlp maps them and adds.
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

namespace nas {

struct GraphAggregator {
  std::string name;
  bool mlp = false;  // messages pass through the MLP first
  std::function<torch::Tensor(const torch::Tensor& messages, const torch::Tensor& index, std::int64_t num_nodes)>
      reduce;
  std::string script_reduce;  // the graph_ops TorchScript function that does the same
  // `reduce` of the messages coefficients[e, h] * values[source of e] + offset, for values [N, H, U],
  // coefficients [E, H] and an offset [1, 1, U] (or undefined for none), computed by the fused
  // kernels without building the [E, H, U] messages. Training uses it; exports use `reduce`.
  std::function<torch::Tensor(const torch::Tensor& values, const torch::Tensor& coefficients, const torch::Tensor& edges,
                              const torch::Tensor& offset)>
      weighted;
};

// In GraphNAS's order: sum, mean, max, mlp.
const std::vector<GraphAggregator>& graph_aggregators();
std::vector<std::string> graph_aggregator_names();
const GraphAggregator& graph_aggregator(const std::string& name);

// The width of the MLP's hidden layer.
constexpr std::int64_t kAggregatorMlpUnits = 128;

}  // namespace nas
