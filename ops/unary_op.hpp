#pragma once
// The common face of the ops a cell branch applies: one tensor in, one tensor out. Cells hold their
// branches through this base so that one list can mix separable convs, pools and projections.
#include <torch/torch.h>

namespace nas {

class ScriptEmitter;

class UnaryOp : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(torch::Tensor input) = 0;
  // The op as TorchScript: a module with copies of the trained tensors whose
  // `forward(self, x: Tensor) -> Tensor` computes what forward() computes in eval mode, whatever
  // this module's training flag.
  virtual torch::jit::Module to_script(ScriptEmitter& emitter) const = 0;
};

}  // namespace nas
