#pragma once
// The LibTorch side of an architecture: what a search space builds and a trainer trains.
#include <torch/torch.h>

#include "core/error.hpp"

namespace nas {

class ScriptEmitter;

// The number of trainable values of `module` (its parameters; buffers such as BN statistics excluded).
inline std::int64_t parameter_count(const torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& parameter : module.parameters()) count += parameter.numel();
  return count;
}

class Network : public torch::nn::Module {
 public:
  // Images as float tensors [N, C, H, W], already normalised by the data pipeline; returns logits [N, classes].
  virtual torch::Tensor forward(torch::Tensor input) = 0;
  // Training progress in [0, 1], for schedules that depend on it (ScheduledDropPath).
  virtual void set_progress(double progress) { (void)progress; }
  // The network as TorchScript, for export (ops/script_export.hpp): a module with copies of the
  // trained tensors whose `forward(self, input: Tensor) -> Tensor` computes what forward() computes in
  // eval mode, whatever this module's training flag. Networks that cannot be exported keep this default.
  virtual torch::jit::Module to_script(ScriptEmitter& emitter) const {
    (void)emitter;
    throw Error("", "networks of class " + name() + " cannot be exported to TorchScript");
  }
};

}  // namespace nas
