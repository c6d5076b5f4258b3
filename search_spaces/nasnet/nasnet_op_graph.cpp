#include "search_spaces/nasnet/nasnet_op_graph.hpp"

namespace nas {
namespace {

std::int64_t area(const FeatureShape& shape) { return shape.height * shape.width; }

// At stride 2 two 1x1 convs each make half the (even) output channels from the subsampled input,
// which costs what one 1x1 conv to all of them costs; at stride 1 it is that one conv.
OpVertex factorized_reduce(std::int64_t in, const FeatureShape& out) {
  OpVertex op = conv_bn_op(in, out, 1);
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
      if (identity_needs_projection(branch)) op = conv_bn_op(in, branch.out, 1);
      break;
    case OpFamily::conv:
      op = conv_bn_op(in, branch.out, k);
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
      if (in != out) op = conv_bn_op(in, branch.out, 1);
      break;
  }
  op.kind = branch.op;
  op.shape = branch.out;
  return op;
}

}  // namespace

OpGraph make_nasnet_op_graph(const NasnetPlan& plan) {
  OpGraph graph;
  OpGraphBuilder builder(graph);
  const OpVertexId image = builder.add(shaped_op(plan.image), "input", "input", -1, {});
  OpVertex stem_op = conv_bn_op(plan.image.channels, plan.stem, 3);
  std::vector<OpVertexId> sources = {builder.add(stem_op, "stem/conv_3x3", "conv_bn", -1, {image})};

  for (const CellPlan& cell : plan.cells) {
    const std::string prefix = "cell" + std::to_string(cell.index) + "/";
    const int c = cell.index;
    std::vector<OpVertexId> states;
    states.push_back(builder.add(conv_bn_op(cell.input.channels, cell.states[0], 1), prefix + "s0/relu_conv_1x1_bn",
                                 "relu_conv_bn", c, {sources[cell.input_source]}));
    const OpVertexId previous = sources[cell.previous_input_source];
    switch (cell.previous_adjust) {
      case PreviousInputAdjust::none: states.push_back(previous); break;
      case PreviousInputAdjust::project:
        states.push_back(builder.add(conv_bn_op(cell.previous_input.channels, cell.states[1], 1),
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
      std::array<OpVertexId, 2> branches{};
      for (int i = 0; i < 2; ++i) {
        const BranchPlan& branch = block.branches[i];
        branches[i] = builder.add(branch_op(branch), block_prefix + (i == 0 ? "op_a/" : "op_b/") + branch.op, "", c,
                                  {states[branch.input]});
      }
      states.push_back(builder.add(shaped_op(block.out), block_prefix + block.combine, block.combine, c,
                                   {branches[0], branches[1]}));
    }
    std::vector<OpVertexId> outputs;
    for (const OutputPlan& output : cell.outputs) {
      if (!output.fix) {
        outputs.push_back(states[output.state]);
        continue;
      }
      outputs.push_back(builder.add(factorized_reduce(output.in.channels, output.out),
                                    prefix + "out/" + nasnet_state_name(output.state) + "/factorized_reduce", "", c,
                                    {states[output.state]}));
    }
    sources.push_back(builder.add(shaped_op(cell.out), prefix + "concat", "concat", c, outputs));
  }

  const FeatureShape pooled{plan.cells.back().out.channels, 1, 1};
  const OpVertexId pool = builder.add(shaped_op(pooled), "head/relu_global_avg_pool", "relu_global_avg_pool", -1,
                                      {sources.back()});
  builder.add(linear_op(pooled.channels, plan.classes), "head/linear", "linear", -1, {pool});
  return graph;
}

ModelSummary summarize_nasnet_op_graph(const OpGraph& graph, const NasnetPlan& plan) {
  ModelSummary summary = summarize_op_graph(graph);
  summary.dot = draw_op_graph(graph, [&](int cell) {
    const CellPlan& plan_cell = plan.cells[cell];
    return "cell " + std::to_string(cell) + ": " + nasnet_cell_names()[plan_cell.kind] +
           ", F'=" + std::to_string(plan_cell.filters);
  });
  return summary;
}

}  // namespace nas
