#pragma once
// The stem of a ViT-ResNAS network: images to patch tokens [B, grid_h x grid_w, C].
//   tiny, small (official nets/patch_conv.py PatchConvEmbed): 3x3 stride-2 conv + BN + ReLU, then two
//     3x3 conv + BN + ReLU with a residual around them, then a 7x7 stride-7 conv with a bias;
//   fashion_mnist: zero padding to 32x32, 3x3 stride-2 conv + BN + ReLU, 2x2 stride-2 conv with a bias.
// Its BatchNorms are the only ones of the network; the supernet shares them unsliced.
#include <torch/torch.h>

#include "search_spaces/vit_resnas/vit_resnas_plan.hpp"

namespace nas {

class ScriptEmitter;

class VitResnasStemImpl : public torch::nn::Module {
 public:
  explicit VitResnasStemImpl(const VitResnasPlan& plan);
  torch::Tensor forward(const torch::Tensor& images);
  torch::jit::Module to_script(ScriptEmitter& emitter) const;

 private:
  VitResnasStemKind kind_;
  std::array<std::int64_t, 4> padding_;
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr}, proj_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr}, bn3_{nullptr};
};
TORCH_MODULE(VitResnasStem);

}  // namespace nas
