#pragma once
// The op graph of a NASNet network (search_spaces/op_graph.hpp): one vertex per op (stem, cell-input
// preparation, branch op, combine, output fix, output concat, head), edges along the data flow.
#include "search_spaces/model_summary.hpp"
#include "search_spaces/nasnet/nasnet_plan.hpp"
#include "search_spaces/op_graph.hpp"

namespace nas {

OpGraph make_nasnet_op_graph(const NasnetPlan& plan);

// Totals, the per-op list (in data-flow order, the input excluded) and a Graphviz drawing with one
// cluster per cell.
ModelSummary summarize_nasnet_op_graph(const OpGraph& graph, const NasnetPlan& plan);

}  // namespace nas
