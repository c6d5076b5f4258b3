#include "search_spaces/nb201/nb201_cell.hpp"

#include "ops/script_emitter.hpp"
#include "search_spaces/nb201/nb201_module_names.hpp"
#include "search_spaces/nb201/nb201_ops.hpp"

namespace nas {
namespace {

// Module names, shared by the LibTorch module and its TorchScript form so that both name each
// parameter alike.
std::string edge_module_name(int from, int to) { return nb201_edge_module_name(from, to); }
std::string node_name(int node) { return "node" + std::to_string(node); }

}  // namespace

Nb201Cell::Nb201Cell(const Nb201Genotype& genotype, std::int64_t channels) {
  for (int e = 0; e < kNb201Edges; ++e) {
    const Nb201Edge& edge = nb201_edges()[e];
    if (genotype.ops[e] == kNb201None) continue;
    Input input{edge.from, make_nb201_edge_op(genotype.ops[e], channels)};
    if (input.op) register_module(edge_module_name(edge.from, edge.to), input.op);
    inputs_[edge.to].push_back(input);
  }
}

torch::Tensor Nb201Cell::forward(torch::Tensor input) {
  std::array<torch::Tensor, kNb201Nodes> nodes;
  nodes[0] = input;
  for (int node = 1; node < kNb201Nodes; ++node) {
    torch::Tensor sum;
    for (const Input& in : inputs_[node]) {
      torch::Tensor term = in.op ? in.op->forward(nodes[in.from]) : nodes[in.from];
      sum = sum.defined() ? sum + term : term;
    }
    // A node every edge of which is none holds zeros; the ops after it still act on them, as in the
    // benchmark (a conv's BatchNorm turns zeros into its shift).
    nodes[node] = sum.defined() ? sum : torch::zeros_like(input);
  }
  return nodes[kNb201Nodes - 1];
}

torch::jit::Module Nb201Cell::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("Nb201Cell");
  std::string source = "def forward(self, x: Tensor) -> Tensor:\n    node0 = x\n";
  for (int node = 1; node < kNb201Nodes; ++node) {
    std::string sum;
    for (const Input& in : inputs_[node]) {
      std::string term = node_name(in.from);
      if (in.op) {
        const std::string name = edge_module_name(in.from, node);
        module.register_module(name, in.op->to_script(emitter));
        term = "self." + name + ".forward(" + term + ")";
      }
      sum += (sum.empty() ? "" : " + ") + term;
    }
    source += "    " + node_name(node) + " = " + (sum.empty() ? "torch.zeros_like(x)" : sum) + "\n";
  }
  emitter.define(module, source + "    return " + node_name(kNb201Nodes - 1) + "\n");
  return module;
}

}  // namespace nas
