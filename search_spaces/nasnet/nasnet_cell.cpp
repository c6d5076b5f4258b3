#include "search_spaces/nasnet/nasnet_cell.hpp"

#include "ops/drop_path.hpp"
#include "ops/factorized_reduce.hpp"
#include "ops/relu_conv_bn.hpp"
#include "ops/same_pool.hpp"
#include "ops/separable_conv.hpp"
#include "ops/spatial_factorized_conv.hpp"

namespace nas {
namespace {

std::shared_ptr<UnaryOp> projection(std::int64_t in, std::int64_t out, std::int64_t stride) {
  return std::make_shared<ReluConvBn>(ReluConvBnOptions{in, out, 1, stride, 1, true});
}

std::shared_ptr<UnaryOp> make_branch_op(const BranchPlan& branch) {
  const OpSpec spec = nasnet_op_spec(branch.op);
  const std::int64_t in = branch.in.channels, out = branch.out.channels;
  switch (spec.family) {
    case OpFamily::identity:
      return identity_needs_projection(branch) ? projection(in, out, branch.stride) : nullptr;
    case OpFamily::conv:
      return std::make_shared<ReluConvBn>(ReluConvBnOptions{in, out, spec.kernel, branch.stride, spec.dilation, true});
    case OpFamily::spatial_factorized_conv:
      return std::make_shared<SpatialFactorizedConv>(SpatialFactorizedConvOptions{in, out, spec.kernel, branch.stride});
    case OpFamily::separable_conv:
      return std::make_shared<SeparableConv>(SeparableConvOptions{in, out, spec.kernel, branch.stride});
    case OpFamily::avg_pool:
    case OpFamily::max_pool:
      return std::make_shared<SamePool>(SamePoolOptions{
          spec.family == OpFamily::avg_pool ? PoolKind::average : PoolKind::max, spec.kernel, branch.stride, in, out});
  }
  return nullptr;
}

}  // namespace

NasnetCell::NasnetCell(const CellPlan& plan) {
  input_op_ = register_module("s0", projection(plan.input.channels, plan.filters, 1));
  switch (plan.previous_adjust) {
    case PreviousInputAdjust::none: break;
    case PreviousInputAdjust::project:
      previous_input_op_ = register_module("s1", projection(plan.previous_input.channels, plan.filters, 1));
      break;
    case PreviousInputAdjust::factorized_reduce:
      previous_input_op_ = register_module(
          "s1", std::make_shared<FactorizedReduce>(
                    FactorizedReduceOptions{plan.previous_input.channels, plan.filters, 2, true}));
      break;
  }
  for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
    const BlockPlan& block_plan = plan.blocks[b];
    Block block;
    block.concat = block_plan.combine == "concat";
    for (int i = 0; i < 2; ++i) {
      const BranchPlan& branch_plan = block_plan.branches[i];
      Branch& branch = block.branches[i];
      branch.input = branch_plan.input;
      branch.drop_path = nasnet_op_spec(branch_plan.op).family != OpFamily::identity;
      branch.op = make_branch_op(branch_plan);
      if (branch.op) register_module("b" + std::to_string(b) + (i == 0 ? "_a" : "_b"), branch.op);
    }
    blocks_.push_back(block);
  }
  for (const OutputPlan& output_plan : plan.outputs) {
    Output output;
    output.state = output_plan.state;
    if (output_plan.fix)
      output.fix = register_module(
          "out_" + nasnet_state_name(output_plan.state),
          std::make_shared<FactorizedReduce>(
              FactorizedReduceOptions{output_plan.in.channels, output_plan.out.channels, output_plan.fix_stride, false}));
    outputs_.push_back(output);
  }
}

torch::Tensor NasnetCell::forward(const torch::Tensor& input, const torch::Tensor& previous_input, double keep) {
  std::vector<torch::Tensor> states = {input_op_->forward(input),
                                       previous_input_op_ ? previous_input_op_->forward(previous_input) : previous_input};
  for (const Block& block : blocks_) {
    std::array<torch::Tensor, 2> results;
    for (int i = 0; i < 2; ++i) {
      const Branch& branch = block.branches[i];
      results[i] = branch.op ? branch.op->forward(states[branch.input]) : states[branch.input];
      if (branch.drop_path) results[i] = drop_path(results[i], keep);
    }
    states.push_back(block.concat ? torch::cat({results[0], results[1]}, 1) : results[0] + results[1]);
  }
  std::vector<torch::Tensor> outputs;
  for (const Output& output : outputs_)
    outputs.push_back(output.fix ? output.fix->forward(states[output.state]) : states[output.state]);
  return torch::cat(outputs, 1);
}

}  // namespace nas
