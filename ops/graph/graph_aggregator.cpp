#include "ops/graph/graph_aggregator.hpp"

#include "ops/graph/named_table.hpp"
#include "ops/graph/graph_kernels.hpp"
#include "ops/graph/graph_ops.hpp"

namespace nas {
namespace {

// Per node, how many times the offset is added: once per message for a sum, once for a node with
// messages for the mean and the maximum (nodes without messages get zeros, as `reduce` gives them).
torch::Tensor offset_count(const torch::Tensor& degree, bool per_message) {
  return (per_message ? degree : degree.gt(0).to(degree.scalar_type())).view({-1, 1, 1});
}

torch::Tensor with_offset(torch::Tensor reduced, const torch::Tensor& offset, const torch::Tensor& edges, bool per_message) {
  if (!offset.defined()) return reduced;
  return reduced + offset_count(in_degree(edges, reduced.size(0)), per_message) * offset;
}

torch::Tensor weighted_sum(const torch::Tensor& values, const torch::Tensor& coefficients, const torch::Tensor& edges,
                           const torch::Tensor& offset) {
  return with_offset(neighbour_weighted_sum(values, coefficients, edges), offset, edges, true);
}

torch::Tensor weighted_mean(const torch::Tensor& values, const torch::Tensor& coefficients, const torch::Tensor& edges,
                            const torch::Tensor& offset) {
  const torch::Tensor degree = in_degree(edges, values.size(0)).clamp_min(1).view({-1, 1, 1});
  return with_offset(neighbour_weighted_sum(values, coefficients, edges) / degree, offset, edges, false);
}

torch::Tensor weighted_max(const torch::Tensor& values, const torch::Tensor& coefficients, const torch::Tensor& edges,
                           const torch::Tensor& offset) {
  return with_offset(neighbour_weighted_max(values, coefficients, edges), offset, edges, false);
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
