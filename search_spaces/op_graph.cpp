#include "search_spaces/op_graph.hpp"

#include <boost/graph/graphviz.hpp>

#include <map>
#include <sstream>

namespace nas {

OpVertexId OpGraphBuilder::add(OpVertex op, const std::string& name, const std::string& kind, int cell,
                               const std::vector<OpVertexId>& inputs) {
  op.name = name;
  if (!kind.empty()) op.kind = kind;
  op.cell = cell;
  const OpVertexId v = boost::add_vertex(op, graph_);
  for (OpVertexId input : inputs) boost::add_edge(input, v, graph_);
  return v;
}

OpVertex shaped_op(const FeatureShape& shape) {
  OpVertex op;
  op.shape = shape;
  return op;
}

OpVertex conv_bn_op(std::int64_t in, const FeatureShape& out, std::int64_t kernel) {
  OpVertex op = shaped_op(out);
  op.params = in * out.channels * kernel * kernel + 2 * out.channels;
  op.madds = in * kernel * kernel * out.channels * out.height * out.width;
  return op;
}

OpVertex linear_op(std::int64_t in, std::int64_t out) {
  OpVertex op = shaped_op(FeatureShape{out, 1, 1});
  op.params = in * out + out;
  op.madds = in * out;
  return op;
}

ModelSummary summarize_op_graph(const OpGraph& graph) {
  ModelSummary summary;
  for (OpVertexId v : boost::make_iterator_range(boost::vertices(graph))) {
    const OpVertex& op = graph[v];
    if (op.kind == "input") continue;
    summary.params += op.params;
    summary.madds += op.madds;
    summary.layers.push_back(LayerSummary{op.name, op.kind, op.shape.text(), op.params, op.madds});
  }
  return summary;
}

std::string draw_op_graph(const OpGraph& graph, const std::function<std::string(int cell)>& cell_label) {
  // Vertices are declared by write_graphviz after this preamble; naming them inside a cluster first
  // is what places them in it.
  auto preamble = [&](std::ostream& out) {
    out << "rankdir=TB;\nnode [shape=box, fontsize=10];\n";
    std::map<int, std::vector<std::size_t>> members;
    for (OpVertexId v : boost::make_iterator_range(boost::vertices(graph)))
      if (graph[v].cell >= 0) members[graph[v].cell].push_back(v);
    for (const auto& [cell, vertices] : members) {
      out << "subgraph cluster_cell" << cell << " {\nlabel=\"" << cell_label(cell) << "\";\n";
      for (std::size_t v : vertices) out << v << ";\n";
      out << "}\n";
    }
  };
  auto label = [&](std::ostream& out, OpVertexId v) {
    const OpVertex& op = graph[v];
    out << "[label=\"" << op.name << "\\n" << op.shape.text();
    if (op.params > 0) out << "\\n" << op.params << " params";
    out << "\"]";
  };
  std::ostringstream dot;
  boost::write_graphviz(dot, graph, label, boost::default_writer(), preamble);
  return dot.str();
}

}  // namespace nas
