#pragma once
// Fused kernels for the two costs of training a message-passing layer on CPU, each an autograd
// function with a hand-written backward:
//  - the projection of sparse node features (bag-of-words on citation graphs), which LibTorch 1.13's
//    COO x dense product does about ten times slower than a loop over the stored values;
//  - the weighted gather-scatter of messages, which written as index_select, multiply and index_add
//    materialises an [E, heads, units] tensor per step (and again in the backward pass). The fused
//    form reads each source row once per edge and writes nothing per edge.
// They compute exactly what the index-based graph_ops do (up to float summation order); exported
// TorchScript keeps the index-based form, which plain PyTorch loads without custom operators.
// Float32 tensors on CPU only; the loops run on the calling thread.
#include <torch/torch.h>

namespace nas {

// x @ weight^T for a sparse COO `x` [N, in] and a dense `weight` [out, in]: [N, out]. The gradient
// flows to `weight` only (the features are data).
torch::Tensor sparse_projection(const torch::Tensor& x, const torch::Tensor& weight);

// out[i, h, :] = sum over edges e = (j -> i) of coefficients[e, h] * values[j, h, :], for `values`
// [N, H, U], `coefficients` [E, H] and `edges` [2, E]; nodes without incoming edges get zeros.
// Gradients flow to values and coefficients.
torch::Tensor neighbour_weighted_sum(const torch::Tensor& values, const torch::Tensor& coefficients,
                                     const torch::Tensor& edges);

// The same with the maximum in place of the sum, per element. The gradient of each output element
// goes to the first edge that attains the maximum (scatter_reduce's "amax" splits it among ties,
// which on real-valued messages almost never happen).
torch::Tensor neighbour_weighted_max(const torch::Tensor& values, const torch::Tensor& coefficients,
                                     const torch::Tensor& edges);

}  // namespace nas
