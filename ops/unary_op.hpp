#pragma once
// The common face of the ops a cell branch applies: one tensor in, one tensor out. Cells hold their
// branches through this base so that one list can mix separable convs, pools and projections.
#include <torch/torch.h>

namespace nas {

class UnaryOp : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(torch::Tensor input) = 0;
};

}  // namespace nas
