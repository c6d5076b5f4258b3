// The fused graph kernels against the index-based operations they replace in training: the same
// values and the same gradients, on a graph with a node that receives nothing and a repeated edge.
#include <gtest/gtest.h>

#include "ops/graph/graph_kernels.hpp"
#include "ops/graph/graph_ops.hpp"

namespace nas {
namespace {

// 5 nodes; node 4 has no incoming edge; 2 -> 0 appears twice.
torch::Tensor uneven_graph() {
  return torch::tensor({1, 2, 2, 0, 3, 0, 1, 4, 4, 3,  //
                        0, 0, 0, 1, 1, 2, 3, 3, 2, 3},
                       torch::kInt64)
      .view({2, 10});
}

struct Gradients {
  torch::Tensor out, values, coefficients;
};

// Runs `reduce` on fresh leaves and backpropagates a fixed random weighting of its output.
template <typename Reduce>
Gradients run(const torch::Tensor& values, const torch::Tensor& coefficients, Reduce reduce) {
  const torch::Tensor v = values.clone().requires_grad_(true);
  const torch::Tensor c = coefficients.clone().requires_grad_(true);
  const torch::Tensor out = reduce(v, c);
  torch::manual_seed(7);
  (out * torch::randn(out.sizes())).sum().backward();
  return {out.detach(), v.grad(), c.grad()};
}

void expect_same(const Gradients& fused, const Gradients& reference) {
  EXPECT_TRUE(torch::allclose(fused.out, reference.out, 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(fused.values, reference.values, 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(fused.coefficients, reference.coefficients, 1e-5, 1e-6));
}

TEST(GraphKernels, WeightedSumMatchesGatherMultiplyScatter) {
  torch::manual_seed(0);
  const torch::Tensor edges = uneven_graph();
  const torch::Tensor values = torch::randn({5, 3, 6}), coefficients = torch::rand({10, 3});
  const Gradients fused = run(values, coefficients, [&](auto v, auto c) { return neighbour_weighted_sum(v, c, edges); });
  const Gradients reference = run(values, coefficients, [&](auto v, auto c) {
    return scatter_sum(v.index_select(0, edges[0]) * c.unsqueeze(-1), edges[1], 5);
  });
  expect_same(fused, reference);
  EXPECT_TRUE(torch::equal(fused.out[4], torch::zeros({3, 6})));
}

TEST(GraphKernels, WeightedMaxMatchesGatherMultiplyScatterMax) {
  torch::manual_seed(1);
  const torch::Tensor edges = uneven_graph();
  const torch::Tensor values = torch::randn({5, 2, 7}), coefficients = torch::rand({10, 2}) - 0.5;
  const Gradients fused = run(values, coefficients, [&](auto v, auto c) { return neighbour_weighted_max(v, c, edges); });
  const Gradients reference = run(values, coefficients, [&](auto v, auto c) {
    return scatter_max(v.index_select(0, edges[0]) * c.unsqueeze(-1), edges[1], 5);
  });
  expect_same(fused, reference);
}

TEST(GraphKernels, SparseProjectionMatchesTheDenseProductAndItsWeightGradient) {
  torch::manual_seed(2);
  const torch::Tensor dense = torch::rand({6, 9}) * torch::rand({6, 9}).gt(0.7);
  const torch::Tensor weight = torch::randn({4, 9});
  const torch::Tensor w1 = weight.clone().requires_grad_(true), w2 = weight.clone().requires_grad_(true);
  const torch::Tensor fused = sparse_projection(dense.to_sparse(), w1);
  const torch::Tensor reference = torch::linear(dense, w2);
  EXPECT_TRUE(torch::allclose(fused, reference, 1e-5, 1e-6));
  const torch::Tensor weighting = torch::randn({6, 4});
  (fused * weighting).sum().backward();
  (reference * weighting).sum().backward();
  EXPECT_TRUE(torch::allclose(w1.grad(), w2.grad(), 1e-5, 1e-6));
}

TEST(GraphKernels, RefuseTensorsTheyWereNotWrittenFor) {
  const torch::Tensor edges = uneven_graph();
  EXPECT_THROW(neighbour_weighted_sum(torch::randn({5, 3, 6}, torch::kFloat64), torch::rand({10, 3}), edges), std::exception);
  EXPECT_THROW(neighbour_weighted_sum(torch::randn({5, 3, 6}), torch::rand({9, 3}), edges), std::exception);
  EXPECT_THROW(sparse_projection(torch::rand({6, 9}), torch::randn({4, 9})), std::exception);
}

}  // namespace
}  // namespace nas
