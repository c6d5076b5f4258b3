#pragma once
// A NASNet network for CIFAR-sized inputs: 3x3 conv + BN stem, the cells of the plan (each reads the
// last two outputs), then ReLU -> global average pool -> dropout -> linear classifier.
#include <memory>
#include <vector>

#include "ops/network.hpp"
#include "ops/unary_op.hpp"
#include "search_spaces/nasnet/nasnet_cell.hpp"
#include "search_spaces/nasnet/nasnet_plan.hpp"

namespace nas {

class NasnetNetwork : public Network {
 public:
  explicit NasnetNetwork(const NasnetPlan& plan);
  torch::Tensor forward(torch::Tensor input) override;
  // ScheduledDropPath: each cell's drop probability grows linearly from 0 to its final value.
  void set_progress(double progress) override;
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;

 private:
  std::shared_ptr<UnaryOp> stem_;
  std::vector<std::shared_ptr<NasnetCell>> cells_;
  std::vector<double> final_keep_;  // per cell
  double dropout_ = 0.0;  // before the classifier, while training
  torch::nn::Linear classifier_{nullptr};
  double progress_ = 0.0;
};

}  // namespace nas
