#include "search_spaces/nasnet/nasnet_cell.hpp"

#include "ops/drop_path.hpp"
#include "ops/factorized_reduce.hpp"
#include "ops/script_emitter.hpp"
#include "search_spaces/nasnet/nasnet_branch_op.hpp"

namespace nas {
namespace {

// Module names, shared by the LibTorch module and its TorchScript form so that both name each
// parameter alike. The cell inputs' ops take the names of the states they make.
const char* const kInputOpName = "s0";
const char* const kPreviousInputOpName = "s1";

std::string branch_op_name(std::size_t block, int branch) {
  return "b" + std::to_string(block) + (branch == 0 ? "_a" : "_b");
}

std::string output_fix_name(int state) { return "out_" + nasnet_state_name(state); }

}  // namespace

NasnetCell::NasnetCell(const CellPlan& plan) {
  input_op_ = register_module(kInputOpName, make_nasnet_projection(plan.input.channels, plan.filters, 1));
  switch (plan.previous_adjust) {
    case PreviousInputAdjust::none: break;
    case PreviousInputAdjust::project:
      previous_input_op_ =
          register_module(kPreviousInputOpName, make_nasnet_projection(plan.previous_input.channels, plan.filters, 1));
      break;
    case PreviousInputAdjust::factorized_reduce:
      previous_input_op_ = register_module(
          kPreviousInputOpName, std::make_shared<FactorizedReduce>(
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
      branch.op = make_nasnet_branch_op(branch_plan);
      if (branch.op) register_module(branch_op_name(b, i), branch.op);
    }
    blocks_.push_back(block);
  }
  for (const OutputPlan& output_plan : plan.outputs) {
    Output output;
    output.state = output_plan.state;
    if (output_plan.fix)
      output.fix = register_module(
          output_fix_name(output_plan.state),
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

torch::jit::Module NasnetCell::to_script(ScriptEmitter& emitter) const {
  // One line per state, named as the genotype names it (s0, s1, s2, ...). Drop path is the identity
  // at inference, so the code has none.
  torch::jit::Module module = emitter.make_module("NasnetCell");
  // The code that applies `op` (registered as submodule `name`) to `input`; just `input` without an op.
  const auto applied = [&](const std::shared_ptr<UnaryOp>& op, const std::string& name, const std::string& input) {
    if (!op) return input;
    module.register_module(name, op->to_script(emitter));
    return "self." + name + ".forward(" + input + ")";
  };
  std::string source = "def forward(self, input: Tensor, previous_input: Tensor) -> Tensor:\n";
  source += "    s0 = " + applied(input_op_, kInputOpName, "input") + "\n";
  source += "    s1 = " + applied(previous_input_op_, kPreviousInputOpName, "previous_input") + "\n";
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    std::array<std::string, 2> results;
    for (int i = 0; i < 2; ++i) {
      const Branch& branch = blocks_[b].branches[i];
      results[i] = applied(branch.op, branch_op_name(b, i), nasnet_state_name(branch.input));
    }
    const std::string combined =
        blocks_[b].concat ? "torch.cat([" + results[0] + ", " + results[1] + "], 1)" : results[0] + " + " + results[1];
    source += "    " + nasnet_state_name(static_cast<int>(b) + 2) + " = " + combined + "\n";
  }
  std::string outputs;
  for (const Output& output : outputs_) {
    if (!outputs.empty()) outputs += ", ";
    outputs += applied(output.fix, output_fix_name(output.state), nasnet_state_name(output.state));
  }
  source += "    return torch.cat([" + outputs + "], 1)\n";
  emitter.define(module, source);
  return module;
}

}  // namespace nas
