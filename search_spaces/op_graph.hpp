#pragma once
// A network as a graph of ops, one vertex per op and edges along the data flow: what a search space's
// describe() is computed from without building tensors. Spaces add their ops with OpGraphBuilder,
// costing them with the helpers below; summarize_op_graph and draw_op_graph turn the graph into a
// ModelSummary. Tests hold the totals equal to the parameter count of the module build() returns.
//
// Multiply-adds per example: a conv counts C_in * kh * kw * C_out / groups * H_out * W_out, a linear
// layer in * out; BatchNorm, ReLU, pooling, add and concat count 0 (elementwise or comparison work
// that is small next to the convs and that papers leave out too).
#include <boost/graph/adjacency_list.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "search_spaces/feature_shape.hpp"
#include "search_spaces/model_summary.hpp"

namespace nas {

struct OpVertex {
  std::string name;    // unique, e.g. "cell3/b1/op_a/sep_conv_3x3"
  std::string kind;    // op type, e.g. "sep_conv_3x3", "factorized_reduce", "add"
  FeatureShape shape;  // output shape
  std::int64_t params = 0;
  std::int64_t madds = 0;
  int cell = -1;  // index of the cell holding the op (a cluster in the drawing); -1 outside cells
};

using OpGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, OpVertex>;
using OpVertexId = OpGraph::vertex_descriptor;

class OpGraphBuilder {
 public:
  explicit OpGraphBuilder(OpGraph& graph) : graph_(graph) {}

  // Adds `op` under `name` in `cell`, reading `inputs`; a non-empty `kind` replaces op.kind.
  OpVertexId add(OpVertex op, const std::string& name, const std::string& kind, int cell,
                 const std::vector<OpVertexId>& inputs);

 private:
  OpGraph& graph_;
};

// An op of output `shape` without parameters or multiply-adds (the input, pools, adds).
OpVertex shaped_op(const FeatureShape& shape);
// [ReLU ->] kxk conv without bias -> BatchNorm with scale and shift, from `in` channels to `out`.
OpVertex conv_bn_op(std::int64_t in, const FeatureShape& out, std::int64_t kernel);
// A fully connected layer with a bias, `in` -> `out` features.
OpVertex linear_op(std::int64_t in, std::int64_t out);

// Totals and the per-op list (in the order the ops were added, the input left out); no drawing.
ModelSummary summarize_op_graph(const OpGraph& graph);

// A Graphviz drawing of the graph, the ops of each cell in a cluster labelled `cell_label(cell)`.
std::string draw_op_graph(const OpGraph& graph, const std::function<std::string(int cell)>& cell_label);

}  // namespace nas
