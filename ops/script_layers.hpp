#pragma once
// TorchScript forms of the LibTorch layers the ops are built from, for ScriptEmitter: each is a module
// holding the layer's parameters and buffers under the layer's own names ("weight", "running_mean"),
// whose forward computes the layer in eval mode.
#include <torch/torch.h>

namespace nas {

class ScriptEmitter;

// Conv2d::forward: the layer's own explicit padding.
torch::jit::Module script_conv2d(ScriptEmitter& emitter, const torch::nn::Conv2dImpl& conv);
// conv2d_same (ops/same_padding.hpp) with `conv`, which was created without padding.
torch::jit::Module script_conv2d_same(ScriptEmitter& emitter, const torch::nn::Conv2dImpl& conv);
// BatchNorm2d in eval mode: normalises by the running statistics, with the layer's epsilon and momentum.
torch::jit::Module script_batch_norm(ScriptEmitter& emitter, const torch::nn::BatchNorm2dImpl& bn);
torch::jit::Module script_linear(ScriptEmitter& emitter, const torch::nn::LinearImpl& linear);

}  // namespace nas
