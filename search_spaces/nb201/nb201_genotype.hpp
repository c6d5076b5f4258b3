#pragma once
// The NAS-Bench-201 cell (Dong & Yang, ICLR 2020): a DAG of 4 nodes in which node 0 is the cell's
// input, every node j > 0 sums one op applied to each earlier node, and node 3 is the cell's output.
// Its 6 edges, in the benchmark's order: 0->1, 0->2, 1->2, 0->3, 1->3, 2->3. Each edge carries one of
// 5 ops, so the space has 5^6 = 15,625 cells.
//
// The benchmark's arch string lists the nodes' inputs node by node:
//   |op~0|+|op~0|op~1|+|op~0|op~1|op~2|
// (node 1 reads node 0; node 2 reads nodes 0 and 1; node 3 reads nodes 0, 1 and 2).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace nas {

constexpr int kNb201Nodes = 4;
constexpr int kNb201Edges = 6;
constexpr int kNb201Ops = 5;
constexpr int kNb201Cells = 15625;  // kNb201Ops ^ kNb201Edges

// Op codes: indices into nb201_op_labels(), the codes of the benchmark table's e01..e23 columns.
enum Nb201Op { kNb201None = 0, kNb201Skip = 1, kNb201Conv1x1 = 2, kNb201Conv3x3 = 3, kNb201AvgPool = 4 };
// none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3
const std::vector<std::string>& nb201_op_labels();
// The code of an op label, or -1 when it is none of the five.
int nb201_op_code(const std::string& label);

// The code of `label`; throws nas::Error at `where` with the accepted op names when it is none of the five.
int parse_nb201_op(const std::string& label, const std::string& where);
// The kernel size of a nor_conv op (1 or 3); 0 for the ops without a conv.
int nb201_conv_kernel(int op);

struct Nb201Edge {
  int from = 0;
  int to = 0;
};
// The 6 edges in the benchmark's order.
const std::array<Nb201Edge, kNb201Edges>& nb201_edges();
// The position of edge from -> to in nb201_edges(); from < to, both nodes of the cell.
int nb201_edge_index(int from, int to);
// "0-1": how decision keys ("edge/0-1") and the genotype's JSON form name an edge.
const std::array<std::string, kNb201Edges>& nb201_edge_names();

struct Nb201Genotype {
  std::array<int, kNb201Edges> ops{};  // op code per edge, in nb201_edges() order

  bool operator==(const Nb201Genotype& other) const { return ops == other.ops; }
  // The cell's number in 0..15,624: the op codes as base-5 digits, edge 0->1 the most significant.
  // (Not the benchmark's own row order, which the table's `index` column keeps.)
  int index() const;
  static Nb201Genotype from_index(int index);
};

// The benchmark's arch string of the cell, inputs of each node in increasing order.
std::string nb201_arch_string(const Nb201Genotype& genotype);
// Reads an arch string; each node may list its inputs in any order, but every input exactly once.
// Throws nas::Error at `where` saying what is wrong, with the accepted op names for an unknown one.
Nb201Genotype parse_nb201_arch_string(const std::string& text, const std::string& where);

}  // namespace nas
