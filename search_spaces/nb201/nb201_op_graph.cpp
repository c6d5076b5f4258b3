#include "search_spaces/nb201/nb201_op_graph.hpp"

#include <array>

namespace nas {
namespace {

// The cell's ops, reading `input` of `shape` (which the cell keeps); returns its output, node 3.
// Vertex names start with `prefix`; `cell` is the cluster the drawing puts them in.
OpVertexId add_cell(OpGraphBuilder& builder, OpVertexId input, const Nb201Genotype& genotype, const FeatureShape& shape,
                    int cell, const std::string& prefix) {
  std::array<OpVertexId, kNb201Nodes> nodes{};
  nodes[0] = input;
  for (int node = 1; node < kNb201Nodes; ++node) {
    std::vector<OpVertexId> terms;
    for (int from = 0; from < node; ++from) {
      const int op = genotype.ops[nb201_edge_index(from, node)];
      if (op == kNb201None) continue;
      const int kernel = nb201_conv_kernel(op);
      const std::string& label = nb201_op_labels()[op];
      terms.push_back(builder.add(kernel > 0 ? conv_bn_op(shape.channels, shape, kernel) : shaped_op(shape),
                                  prefix + "edge" + std::to_string(from) + "-" + std::to_string(node) + "/" + label,
                                  label, cell, {nodes[from]}));
    }
    // A node whose edges are all none is zeros.
    nodes[node] = builder.add(shaped_op(shape), prefix + "node" + std::to_string(node), terms.empty() ? "zero" : "add",
                              cell, terms);
  }
  return nodes[kNb201Nodes - 1];
}

// ReLU -> 3x3 conv (stride 2) -> BN -> ReLU -> 3x3 conv -> BN, plus a shortcut of 2x2 average pooling
// and a 1x1 conv (no BN); returns the sum.
OpVertexId add_reduction_block(OpGraphBuilder& builder, OpVertexId input, const FeatureShape& in,
                               const FeatureShape& out, const std::string& prefix) {
  const OpVertexId conv_a =
      builder.add(conv_bn_op(in.channels, out, 3), prefix + "conv_a", "relu_conv_bn", -1, {input});
  const OpVertexId conv_b =
      builder.add(conv_bn_op(out.channels, out, 3), prefix + "conv_b", "relu_conv_bn", -1, {conv_a});
  OpVertex shortcut = shaped_op(out);
  shortcut.params = in.channels * out.channels;
  shortcut.madds = in.channels * out.channels * out.height * out.width;
  const OpVertexId shortcut_id = builder.add(shortcut, prefix + "shortcut", "avg_pool_conv_1x1", -1, {input});
  return builder.add(shaped_op(out), prefix + "add", "add", -1, {conv_b, shortcut_id});
}

std::string layer_prefix(int layer) { return "layer" + std::to_string(layer) + "/"; }

}  // namespace

OpGraph make_nb201_op_graph(const Nb201Plan& plan) {
  OpGraph graph;
  OpGraphBuilder builder(graph);
  OpVertexId x = builder.add(shaped_op(plan.image), "input", "input", -1, {});
  x = builder.add(conv_bn_op(plan.image.channels, plan.stages[0], 3), "stem/conv_3x3_bn", "conv_bn", -1, {x});
  // Layers are numbered as the benchmark's TinyNetwork numbers its cells, reduction blocks included.
  int layer = 0, cell = 0;
  for (std::size_t stage = 0; stage < plan.stages.size(); ++stage) {
    if (stage > 0)
      x = add_reduction_block(builder, x, plan.stages[stage - 1], plan.stages[stage], layer_prefix(layer++));
    for (std::int64_t i = 0; i < plan.cells_per_stage; ++i)
      x = add_cell(builder, x, plan.cell, plan.stages[stage], cell++, layer_prefix(layer++));
  }
  const FeatureShape& last = plan.stages.back();
  OpVertex head_bn = shaped_op(last);
  head_bn.params = 2 * last.channels;
  x = builder.add(head_bn, "head/bn_relu", "bn_relu", -1, {x});
  x = builder.add(shaped_op(FeatureShape{last.channels, 1, 1}), "head/global_avg_pool", "global_avg_pool", -1, {x});
  builder.add(linear_op(last.channels, plan.classes), "head/linear", "linear", -1, {x});
  return graph;
}

ModelSummary summarize_nb201_network(const Nb201Plan& plan) {
  ModelSummary summary = summarize_op_graph(make_nb201_op_graph(plan));
  OpGraph cell_graph;
  OpGraphBuilder builder(cell_graph);
  const FeatureShape& shape = plan.stages[0];
  add_cell(builder, builder.add(shaped_op(shape), "node0", "input", 0, {}), plan.cell, shape, 0, "");
  summary.dot = draw_op_graph(cell_graph, [&](int) {
    return "NAS-Bench-201 cell " + nb201_arch_string(plan.cell) + " (" + std::to_string(plan.cells_per_stage) +
           " per stage; first stage shown)";
  });
  return summary;
}

}  // namespace nas
