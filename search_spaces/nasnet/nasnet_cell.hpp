#pragma once
// One NASNet cell as a LibTorch module, built from its CellPlan.
#include <array>
#include <memory>
#include <vector>

#include "ops/unary_op.hpp"
#include "search_spaces/nasnet/nasnet_plan.hpp"

namespace nas {

class NasnetCell : public torch::nn::Module {
 public:
  explicit NasnetCell(const CellPlan& plan);
  // `input` is h_i, `previous_input` h_{i-1}; `keep` is the drop-path keep probability for this step
  // (1 outside training).
  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& previous_input, double keep);
  // The cell as TorchScript, `forward(self, input: Tensor, previous_input: Tensor) -> Tensor`, in eval
  // mode (no drop path), with copies of the trained tensors under the names this module gives them.
  torch::jit::Module to_script(ScriptEmitter& emitter) const;

 private:
  struct Branch {
    int input = 0;
    std::shared_ptr<UnaryOp> op;  // null for an identity that needs no projection
    bool drop_path = false;       // slim drops every branch but identity ones
  };
  struct Block {
    std::array<Branch, 2> branches;
    bool concat = false;
  };
  struct Output {
    int state = 0;
    std::shared_ptr<UnaryOp> fix;  // null when the state is concatenated as it is
  };

  std::shared_ptr<UnaryOp> input_op_;
  std::shared_ptr<UnaryOp> previous_input_op_;  // null when h_{i-1} is used as it is
  std::vector<Block> blocks_;
  std::vector<Output> outputs_;
};

}  // namespace nas
