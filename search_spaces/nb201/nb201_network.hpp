#pragma once
// A NAS-Bench-201 network built from its plan (the benchmark's TinyNetwork): stem, 3 stages of cells
// with a residual reduction block between stages, then BN -> ReLU -> global average pool -> linear.
#include <memory>
#include <vector>

#include "ops/network.hpp"
#include "ops/unary_op.hpp"
#include "search_spaces/nb201/nb201_plan.hpp"

namespace nas {

class Nb201Network : public Network {
 public:
  explicit Nb201Network(const Nb201Plan& plan);
  torch::Tensor forward(torch::Tensor input) override;
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;

 private:
  std::shared_ptr<UnaryOp> stem_;
  std::vector<std::shared_ptr<UnaryOp>> layers_;  // cells and reduction blocks, in order
  torch::nn::BatchNorm2d head_bn_{nullptr};
  torch::nn::Linear classifier_{nullptr};
};

}  // namespace nas
