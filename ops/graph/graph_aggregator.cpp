#include "ops/graph/graph_aggregator.hpp"

#include "ops/graph/named_table.hpp"
#include "ops/graph/graph_kernels.hpp"
#include "ops/graph/graph_ops.hpp"

namespace nas {
namespace {

// reduce(messages) + count * offset, with count per node: the number of messages for a sum, 1 for a
// node with messages for the mean and the maximum (nodes without messages get zeros, as `reduce`
// gives them). `degree` [N, 1, 1] is each node's number of incoming edges.
torch::Tensor with_offset(const torch::Tensor& reduced, const torch::Tensor& offset, const torch::Tensor& degree, bool per_message) {
  if (!offset.defined()) return reduced;
  return reduced + (per_message ? degree : degree.gt(0).to(degree.scalar_type())) * offset;
}

torch::Tensor node_degree(const torch::Tensor& values, const torch::Tensor& edges) {
  return in_degree(edges, values.size(0)).view({-1, 1, 1});
}

torch::Tensor weighted_sum(const torch::Tensor& values, const torch::Tensor& coefficients, const torch::Tensor& edges,
                           const torch::Tensor& offset) {
  const torch::Tensor summed = neighbour_weighted_sum(values, coefficients, edges);
  return offset.defined() ? with_offset(summed, offset, node_degree(values, edges), true) : summed;
}

torch::Tensor weighted_mean(const torch::Tensor& values, const torch::Tensor& coefficients, const torch::Tensor& edges,
                            const torch::Tensor& offset) {
  const torch::Tensor degree = node_degree(values, edges);
  return with_offset(neighbour_weighted_sum(values, coefficients, edges) / degree.clamp_min(1), offset, degree, false);
}

torch::Tensor weighted_max(const torch::Tensor& values, const torch::Tensor& coefficients, const torch::Tensor& edges,
                           const torch::Tensor& offset) {
  const torch::Tensor maxima = neighbour_weighted_max(values, coefficients, edges);
  return offset.defined() ? with_offset(maxima, offset, node_degree(values, edges), false) : maxima;
}

}  // namespace

const std::vector<GraphAggregator>& graph_aggregators() {
  static const std::vector<GraphAggregator> table = {
      {"sum", false, scatter_sum, "scatter_sum", weighted_sum},
      {"mean", true, scatter_mean, "scatter_mean", weighted_mean},
      {"max", true, scatter_max, "scatter_max", weighted_max},
      {"mlp", true, scatter_sum, "scatter_sum", weighted_sum},
  };
  return table;
}

std::vector<std::string> graph_aggregator_names() { return table_names(graph_aggregators()); }

const GraphAggregator& graph_aggregator(const std::string& name) { return table_entry(graph_aggregators(), name, "aggregator"); }

}  // namespace nas
