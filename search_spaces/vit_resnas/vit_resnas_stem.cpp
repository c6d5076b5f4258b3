#include "search_spaces/vit_resnas/vit_resnas_stem.hpp"

#include "ops/batch_norm.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"

namespace nas {
namespace {

torch::nn::Conv2d conv(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride,
                       std::int64_t padding, bool bias) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(bias));
}

}  // namespace

VitResnasStemImpl::VitResnasStemImpl(const VitResnasPlan& plan) : kind_(plan.stem), padding_(plan.padding) {
  const std::int64_t sc = plan.stem_channels, embed = plan.stages.front().embed;
  // The official ConvBnAct: convolutions without bias, PyTorch's BatchNorm (epsilon 1e-5).
  conv1_ = register_module("conv1", conv(plan.in_channels, sc, 3, 2, 1, false));
  bn1_ = register_module("bn1", make_batch_norm(sc, kTorchBatchNormEpsilon));
  if (kind_ == VitResnasStemKind::kConvResidual) {
    conv2_ = register_module("conv2", conv(sc, sc, 3, 1, 1, false));
    bn2_ = register_module("bn2", make_batch_norm(sc, kTorchBatchNormEpsilon));
    conv3_ = register_module("conv3", conv(sc, sc, 3, 1, 1, false));
    bn3_ = register_module("bn3", make_batch_norm(sc, kTorchBatchNormEpsilon));
    proj_ = register_module("proj", conv(sc, embed, 7, 7, 0, true));
  } else {
    proj_ = register_module("proj", conv(sc, embed, 2, 2, 0, true));
  }
}

torch::Tensor VitResnasStemImpl::forward(const torch::Tensor& images) {
  torch::Tensor x = images;
  if (kind_ == VitResnasStemKind::kSmallImages)
    x = torch::constant_pad_nd(x, {padding_[0], padding_[1], padding_[2], padding_[3]});
  x = torch::relu(batch_norm(bn1_, conv1_->forward(x)));
  if (kind_ == VitResnasStemKind::kConvResidual) {
    const torch::Tensor inner = torch::relu(batch_norm(bn2_, conv2_->forward(x)));
    x = x + torch::relu(batch_norm(bn3_, conv3_->forward(inner)));
  }
  return proj_->forward(x).flatten(2).transpose(1, 2);
}

torch::jit::Module VitResnasStemImpl::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("VitResnasStem");
  module.register_module("conv1", script_conv2d(emitter, *conv1_));
  module.register_module("bn1", script_batch_norm(emitter, *bn1_));
  module.register_module("proj", script_conv2d(emitter, *proj_));
  std::string source = "def forward(self, x: Tensor) -> Tensor:\n";
  if (kind_ == VitResnasStemKind::kSmallImages)
    source += "    x = torch.constant_pad_nd(x, " + script_int_list(padding_) + ", 0.0)\n";
  source += "    x = torch.relu(self.bn1.forward(self.conv1.forward(x)))\n";
  if (kind_ == VitResnasStemKind::kConvResidual) {
    module.register_module("conv2", script_conv2d(emitter, *conv2_));
    module.register_module("bn2", script_batch_norm(emitter, *bn2_));
    module.register_module("conv3", script_conv2d(emitter, *conv3_));
    module.register_module("bn3", script_batch_norm(emitter, *bn3_));
    source += "    inner = torch.relu(self.bn2.forward(self.conv2.forward(x)))\n";
    source += "    x = x + torch.relu(self.bn3.forward(self.conv3.forward(inner)))\n";
  }
  source += "    return self.proj.forward(x).flatten(2).transpose(1, 2)\n";
  emitter.define(module, source);
  return module;
}

}  // namespace nas
