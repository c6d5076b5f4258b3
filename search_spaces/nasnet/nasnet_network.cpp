#include "search_spaces/nasnet/nasnet_network.hpp"

#include <algorithm>

#include "ops/relu_conv_bn.hpp"

namespace nas {

NasnetNetwork::NasnetNetwork(const NasnetPlan& plan) {
  stem_ = register_module("stem", std::make_shared<ReluConvBn>(ReluConvBnOptions{
                                      plan.image.channels, plan.stem.channels, 3, plan.stem_stride, 1, false}));
  for (const CellPlan& cell : plan.cells) {
    cells_.push_back(register_module("cell" + std::to_string(cell.index), std::make_shared<NasnetCell>(cell)));
    final_keep_.push_back(cell.drop_path_keep);
  }
  dropout_ = register_module("dropout", torch::nn::Dropout(plan.dropout));
  classifier_ = register_module("classifier", torch::nn::Linear(plan.cells.back().out.channels, plan.classes));
}

void NasnetNetwork::set_progress(double progress) { progress_ = std::clamp(progress, 0.0, 1.0); }

torch::Tensor NasnetNetwork::forward(torch::Tensor input) {
  // Channels-last lets oneDNN use its fast depthwise-conv and pooling kernels on CPU. The stem's
  // output is converted because a one-channel image counts as NCHW whatever its strides.
  torch::Tensor previous = stem_->forward(input).contiguous(torch::MemoryFormat::ChannelsLast);
  torch::Tensor current = previous;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    const double keep = is_training() ? 1.0 - progress_ * (1.0 - final_keep_[i]) : 1.0;
    torch::Tensor next = cells_[i]->forward(current, previous, keep);
    previous = current;
    current = next;
  }
  const torch::Tensor pooled = torch::relu(current).mean({2, 3});
  return classifier_->forward(dropout_->forward(pooled));
}

}  // namespace nas
