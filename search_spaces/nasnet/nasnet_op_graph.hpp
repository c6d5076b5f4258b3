#pragma once
// The op graph of a NASNet network: one vertex per op (stem, cell-input preparation, branch op,
// combine, output fix, output concat, head), edges along the data flow. Parameter and multiply-add
// counts are computed here analytically, without building tensors; a test holds them equal to the
// parameter count of the module that build() returns.
//
// Multiply-adds per example: a conv counts C_in * kh * kw * C_out / groups * H_out * W_out, the
// classifier in * out; BatchNorm, ReLU, pooling, add and concat count 0 (elementwise or
// comparison work that is small next to the convs and that papers leave out too).
#include <boost/graph/adjacency_list.hpp>

#include <cstdint>
#include <string>

#include "search_spaces/model_summary.hpp"
#include "search_spaces/nasnet/nasnet_plan.hpp"

namespace nas {

struct OpVertex {
  std::string name;  // unique, e.g. "cell3/b1/op_a/sep_conv_3x3"
  std::string kind;  // op type, e.g. "sep_conv_3x3", "factorized_reduce", "add"
  FeatureShape shape;  // output shape
  std::int64_t params = 0;
  std::int64_t madds = 0;
  int cell = -1;  // index of the cell holding the op; -1 for the input, stem and head
};

using NasnetOpGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, OpVertex>;

NasnetOpGraph make_nasnet_op_graph(const NasnetPlan& plan);

// Totals, the per-op list (in data-flow order, the input excluded) and a Graphviz drawing with one
// cluster per cell.
ModelSummary summarize_nasnet_op_graph(const NasnetOpGraph& graph, const NasnetPlan& plan);

}  // namespace nas
