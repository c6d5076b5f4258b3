#pragma once
// The LibTorch network of an einspace architecture: runs its compiled program step by step, each
// parametrised step with layers of its own (registered as "s<step>"), and exports as one TorchScript
// module whose forward is the same program written out.
#include <torch/torch.h>

#include "ops/network.hpp"
#include "search_spaces/einspace/einspace_program.hpp"

namespace nas {

class EinspaceNetwork : public Network {
 public:
  explicit EinspaceNetwork(EinProgram program);
  torch::Tensor forward(torch::Tensor input) override;
  // Every tensor of the program (numbered as in EinStep::inputs/outputs), the logits last: what a test
  // compares with the shapes inferred without running anything.
  std::vector<torch::Tensor> forward_all(torch::Tensor input);
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;
  const EinProgram& program() const { return program_; }

 private:
  struct Layers {
    torch::nn::Linear linear{nullptr};
    torch::nn::Conv2d conv{nullptr};
    torch::nn::BatchNorm2d batch_norm{nullptr};
    torch::nn::LayerNorm layer_norm{nullptr};
    torch::Tensor embedding;  // pos_enc
  };
  EinProgram program_;
  std::vector<Layers> layers_;  // per step
};

}  // namespace nas
