#include "search_spaces/nasnet/nasnet_op_graph.hpp"

#include <boost/graph/graphviz.hpp>

#include <map>
#include <sstream>

namespace nas {
namespace {

using Vertex = NasnetOpGraph::vertex_descriptor;

std::int64_t area(const FeatureShape& shape) { return shape.height * shape.width; }

// ReLU -> kxk conv -> BN, the shape of most NASNet convs.
OpVertex conv_bn(std::int64_t in, const FeatureShape& out, std::int64_t kernel) {
  OpVertex op;
  op.shape = out;
  op.params = in * out.channels * kernel * kernel + 2 * out.channels;
  op.madds = in * kernel * kernel * out.channels * area(out);
  return op;
}

// At stride 2 two 1x1 convs each make half the (even) output channels from the subsampled input,
// which costs what one 1x1 conv to all of them costs; at stride 1 it is that one conv.
OpVertex factorized_reduce(std::int64_t in, const FeatureShape& out) {
  OpVertex op = conv_bn(in, out, 1);
  op.kind = "factorized_reduce";
  return op;
}

OpVertex branch_op(const BranchPlan& branch) {
  const OpSpec spec = nasnet_op_spec(branch.op);
  const std::int64_t in = branch.in.channels, out = branch.out.channels, k = spec.kernel;
  const std::int64_t out_area = area(branch.out);
  OpVertex op;
  switch (spec.family) {
    case OpFamily::identity:
      if (identity_needs_projection(branch)) op = conv_bn(in, branch.out, 1);
      break;
    case OpFamily::conv:
      op = conv_bn(in, branch.out, k);
      break;
    case OpFamily::spatial_factorized_conv: {
      // The 1xk conv strides the columns only, so it runs on H_in x W_out.
      const std::int64_t row_area = branch.in.height * branch.out.width;
      op.params = in * out * k + out * out * k + 2 * out;
      op.madds = in * k * out * row_area + out * k * out * out_area;
      break;
    }
    case OpFamily::separable_conv:
      // Two passes of depthwise kxk + pointwise 1x1 + BN; the first maps in -> out channels.
      op.params = in * k * k + in * out + out * k * k + out * out + 4 * out;
      op.madds = (in * k * k + in * out + out * k * k + out * out) * out_area;
      break;
    case OpFamily::avg_pool:
    case OpFamily::max_pool:
      if (in != out) op = conv_bn(in, branch.out, 1);
      break;
  }
  op.kind = branch.op;
  op.shape = branch.out;
  return op;
}

class GraphBuilder {
 public:
  explicit GraphBuilder(NasnetOpGraph& graph) : graph_(graph) {}

  Vertex add(OpVertex op, const std::string& name, const std::string& kind, int cell,
             std::initializer_list<Vertex> inputs) {
    op.name = name;
    if (!kind.empty()) op.kind = kind;
    op.cell = cell;
    const Vertex v = boost::add_vertex(op, graph_);
    for (Vertex input : inputs) boost::add_edge(input, v, graph_);
    return v;
  }

 private:
  NasnetOpGraph& graph_;
};

OpVertex shaped(const FeatureShape& shape) {
  OpVertex op;
  op.shape = shape;
  return op;
}

}  // namespace

NasnetOpGraph make_nasnet_op_graph(const NasnetPlan& plan) {
  NasnetOpGraph graph;
  GraphBuilder builder(graph);
  const Vertex image = builder.add(shaped(plan.image), "input", "input", -1, {});
  OpVertex stem_op = conv_bn(plan.image.channels, plan.stem, 3);
  std::vector<Vertex> sources = {builder.add(stem_op, "stem/conv_3x3", "conv_bn", -1, {image})};

  for (const CellPlan& cell : plan.cells) {
    const std::string prefix = "cell" + std::to_string(cell.index) + "/";
    const int c = cell.index;
    std::vector<Vertex> states;
    states.push_back(builder.add(conv_bn(cell.input.channels, cell.states[0], 1), prefix + "s0/relu_conv_1x1_bn",
                                 "relu_conv_bn", c, {sources[cell.input_source]}));
    const Vertex previous = sources[cell.previous_input_source];
    switch (cell.previous_adjust) {
      case PreviousInputAdjust::none: states.push_back(previous); break;
      case PreviousInputAdjust::project:
        states.push_back(builder.add(conv_bn(cell.previous_input.channels, cell.states[1], 1),
                                     prefix + "s1/relu_conv_1x1_bn", "relu_conv_bn", c, {previous}));
        break;
      case PreviousInputAdjust::factorized_reduce:
        states.push_back(builder.add(factorized_reduce(cell.previous_input.channels, cell.states[1]),
                                     prefix + "s1/factorized_reduce", "", c, {previous}));
        break;
    }
    for (std::size_t b = 0; b < cell.blocks.size(); ++b) {
      const BlockPlan& block = cell.blocks[b];
      const std::string block_prefix = prefix + "b" + std::to_string(b) + "/";
      std::array<Vertex, 2> branches{};
      for (int i = 0; i < 2; ++i) {
        const BranchPlan& branch = block.branches[i];
        branches[i] = builder.add(branch_op(branch), block_prefix + (i == 0 ? "op_a/" : "op_b/") + branch.op, "", c,
                                  {states[branch.input]});
      }
      states.push_back(builder.add(shaped(block.out), block_prefix + block.combine, block.combine, c,
                                   {branches[0], branches[1]}));
    }
    std::vector<Vertex> outputs;
    for (const OutputPlan& output : cell.outputs) {
      if (!output.fix) {
        outputs.push_back(states[output.state]);
        continue;
      }
      outputs.push_back(builder.add(factorized_reduce(output.in.channels, output.out),
                                    prefix + "out/" + nasnet_state_name(output.state) + "/factorized_reduce", "", c,
                                    {states[output.state]}));
    }
    const Vertex concat = builder.add(shaped(cell.out), prefix + "concat", "concat", c, {});
    for (Vertex output : outputs) boost::add_edge(output, concat, graph);
    sources.push_back(concat);
  }

  const FeatureShape pooled{plan.cells.back().out.channels, 1, 1};
  const Vertex pool = builder.add(shaped(pooled), "head/relu_global_avg_pool", "relu_global_avg_pool", -1,
                                  {sources.back()});
  OpVertex linear = shaped(FeatureShape{plan.classes, 1, 1});
  linear.params = pooled.channels * plan.classes + plan.classes;
  linear.madds = pooled.channels * plan.classes;
  builder.add(linear, "head/linear", "linear", -1, {pool});
  return graph;
}

ModelSummary summarize_nasnet_op_graph(const NasnetOpGraph& graph, const NasnetPlan& plan) {
  ModelSummary summary;
  for (Vertex v : boost::make_iterator_range(boost::vertices(graph))) {
    const OpVertex& op = graph[v];
    if (op.kind == "input") continue;
    summary.params += op.params;
    summary.madds += op.madds;
    summary.layers.push_back(LayerSummary{op.name, op.kind, op.shape.text(), op.params, op.madds});
  }

  // Vertices are declared by write_graphviz after this preamble; naming them inside a cluster first
  // is what places them in it.
  auto preamble = [&](std::ostream& out) {
    out << "rankdir=TB;\nnode [shape=box, fontsize=10];\n";
    std::map<int, std::vector<std::size_t>> members;
    for (Vertex v : boost::make_iterator_range(boost::vertices(graph)))
      if (graph[v].cell >= 0) members[graph[v].cell].push_back(v);
    for (const auto& [cell, vertices] : members) {
      const CellPlan& plan_cell = plan.cells[cell];
      out << "subgraph cluster_cell" << cell << " {\nlabel=\"cell " << cell << ": "
          << nasnet_cell_names()[plan_cell.kind] << ", F'=" << plan_cell.filters << "\";\n";
      for (std::size_t v : vertices) out << v << ";\n";
      out << "}\n";
    }
  };
  auto label = [&](std::ostream& out, Vertex v) {
    const OpVertex& op = graph[v];
    out << "[label=\"" << op.name << "\\n" << op.shape.text();
    if (op.params > 0) out << "\\n" << op.params << " params";
    out << "\"]";
  };
  std::ostringstream dot;
  boost::write_graphviz(dot, graph, label, boost::default_writer(), preamble);
  summary.dot = dot.str();
  return summary;
}

}  // namespace nas
