#include "search_spaces/nb201/nb201_supernet_cell.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "search_spaces/nb201/nb201_ops.hpp"
#include "search_spaces/nb201/nb201_supernet_names.hpp"

namespace nas {

Nb201SupernetCell::Nb201SupernetCell(const std::vector<std::string>& ops, std::int64_t channels) {
  for (const std::string& label : ops) {
    const int op = nb201_op_code(label);
    if (op < 0) throw Error("", "'" + label + "' is not a NAS-Bench-201 op");
    offered_[op] = true;
  }
  for (int e = 0; e < kNb201Edges; ++e) {
    const Nb201Edge& edge = nb201_edges()[e];
    // A plain module groups the edge's ops, so that their names carry the op label.
    auto holder = register_module(nb201_edge_module_name(edge.from, edge.to),
                                  std::make_shared<torch::nn::Module>("Nb201SupernetEdge"));
    for (int op = 0; op < kNb201Ops; ++op) {
      if (!offered_[op]) continue;
      // The same factory as the stand-alone cell's, so every op is made (and initialised) alike.
      std::shared_ptr<UnaryOp> module = make_nb201_edge_op(op, channels);
      if (!module) continue;
      holder->register_module(nb201_op_labels()[op], module);
      ops_[e][op] = std::move(module);
    }
  }
}

torch::Tensor Nb201SupernetCell::forward(const torch::Tensor& input, const Nb201Genotype& genotype) {
  // Nb201Cell::forward on the chosen ops, summing each node's terms in the same (edge) order, so that
  // the floating-point results agree exactly.
  std::array<torch::Tensor, kNb201Nodes> nodes;
  nodes[0] = input;
  for (int node = 1; node < kNb201Nodes; ++node) {
    torch::Tensor sum;
    for (int e = 0; e < kNb201Edges; ++e) {
      const Nb201Edge& edge = nb201_edges()[e];
      const int op = genotype.ops[e];
      if (edge.to != node || op == kNb201None) continue;
      torch::Tensor term;
      if (op == kNb201Skip) {
        term = nodes[edge.from];
      } else {
        if (!ops_[e][op])
          throw Error("", "op '" + nb201_op_labels()[op] + "' is not among this supernet's ops (space.ops)");
        term = ops_[e][op]->forward(nodes[edge.from]);
      }
      sum = sum.defined() ? sum + term : term;
    }
    nodes[node] = sum.defined() ? sum : torch::zeros_like(input);
  }
  return nodes[kNb201Nodes - 1];
}

}  // namespace nas
