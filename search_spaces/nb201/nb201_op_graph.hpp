#pragma once
// The op graph of a NAS-Bench-201 network (search_spaces/op_graph.hpp), for describe(): every op of
// the stem, the cells (one vertex per edge op, none edges left out as they compute nothing, and one
// per node sum), the residual reduction blocks and the head.
#include "search_spaces/model_summary.hpp"
#include "search_spaces/nb201/nb201_plan.hpp"
#include "search_spaces/op_graph.hpp"

namespace nas {

OpGraph make_nb201_op_graph(const Nb201Plan& plan);

// The totals and per-op list of the whole network, and a Graphviz drawing of its cell alone (at the
// first stage's shape): every cell of the network is the same, so the cell is what tells two apart.
ModelSummary summarize_nb201_network(const Nb201Plan& plan);

}  // namespace nas
