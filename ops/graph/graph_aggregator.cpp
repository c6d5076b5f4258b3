#include "ops/graph/graph_aggregator.hpp"

#include "ops/graph/named_table.hpp"
#include "ops/graph/graph_ops.hpp"

namespace nas {

const std::vector<GraphAggregator>& graph_aggregators() {
  static const std::vector<GraphAggregator> table = {
      {"sum", false, scatter_sum, "scatter_sum"},
      {"mean", true, scatter_mean, "scatter_mean"},
      {"max", true, scatter_max, "scatter_max"},
      {"mlp", true, scatter_sum, "scatter_sum"},
  };
  return table;
}

std::vector<std::string> graph_aggregator_names() { return table_names(graph_aggregators()); }

const GraphAggregator& graph_aggregator(const std::string& name) { return table_entry(graph_aggregators(), name, "aggregator"); }

}  // namespace nas
