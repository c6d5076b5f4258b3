#pragma once
// The index and scatter operations message passing is built from, on plain LibTorch tensors (no PyG),
// and their TorchScript twins (define_graph_functions), which exported graph networks call. The two
// are written side by side so that a change to one is seen next to the other.
//
// Edges are [2, E] int64 tensors: row 0 the source j, row 1 the target i of each message j -> i.
#include <torch/torch.h>

#include <string>

namespace nas {

class ScriptEmitter;

// `edge_index` with one self-loop (i, i) per node appended, as GCN and GAT use them.
torch::Tensor add_self_loops(const torch::Tensor& edge_index, std::int64_t num_nodes);

// Sums, averages or takes the maximum of the rows of `messages` [E, ...] that share a target in
// `index` [E], giving [num_nodes, ...]; nodes without messages get zeros.
torch::Tensor scatter_sum(const torch::Tensor& messages, const torch::Tensor& index, std::int64_t num_nodes);
torch::Tensor scatter_mean(const torch::Tensor& messages, const torch::Tensor& index, std::int64_t num_nodes);
torch::Tensor scatter_max(const torch::Tensor& messages, const torch::Tensor& index, std::int64_t num_nodes);

// Softmax of `scores` [E, H] over the edges that share a target in `index`, per column.
torch::Tensor segment_softmax(const torch::Tensor& scores, const torch::Tensor& index, std::int64_t num_nodes);

// The number of edges of `edges` into each node, as float [num_nodes].
torch::Tensor in_degree(const torch::Tensor& edges, std::int64_t num_nodes);

// GCN's symmetric normalisation 1 / sqrt(deg_i deg_j) per edge of `edges` (self-loops included),
// with deg the number of edges into a node.
torch::Tensor gcn_coefficients(const torch::Tensor& edges, std::int64_t num_nodes);

// Dropout of a sparse COO matrix: the stored values dropped and rescaled, which is what dense dropout
// does to the matrix (its zeros stay zero either way), at the cost of the stored values only.
torch::Tensor sparse_dropout(const torch::Tensor& matrix, double p, bool training);

// Defines the TorchScript functions above under the same names (library "graph_ops").
void define_graph_functions(ScriptEmitter& emitter);

}  // namespace nas
