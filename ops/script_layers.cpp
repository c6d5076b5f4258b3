#include "ops/script_layers.hpp"

#include "core/error.hpp"
#include "ops/same_padding.hpp"
#include "ops/script_emitter.hpp"

namespace nas {
namespace {

// The argument that passes an optional parameter of the emitted module: a layer without a bias has
// no "bias" attribute (ScriptEmitter::copy_tensors skips undefined tensors).
std::string optional_tensor(const torch::Tensor& tensor, const std::string& name) {
  return tensor.defined() ? "self." + name : "None";
}

// A module holding `layer`'s tensors whose forward returns `expression` of its input `x`.
torch::jit::Module layer_module(ScriptEmitter& emitter, const std::string& kind, const torch::nn::Module& layer,
                                const std::string& expression) {
  torch::jit::Module module = emitter.make_module(kind);
  ScriptEmitter::copy_tensors(layer, module);
  emitter.define(module, "def forward(self, x: Tensor) -> Tensor:\n    return " + expression + "\n");
  return module;
}

void require_zero_padding_mode(const torch::nn::Conv2dImpl& conv) {
  if (!c10::get_if<torch::enumtype::kZeros>(&conv.options.padding_mode()))
    throw Error("", "a Conv2d that pads with anything but zeros has no TorchScript form here");
}

}  // namespace

torch::jit::Module script_conv2d(ScriptEmitter& emitter, const torch::nn::Conv2dImpl& conv) {
  require_zero_padding_mode(conv);
  const auto& options = conv.options;
  const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&options.padding());
  if (!padding) throw Error("", "a Conv2d with 'valid' or 'same' padding has no TorchScript form here");
  return layer_module(emitter, "Conv2d", conv,
                      "torch.conv2d(x, self.weight, " + optional_tensor(conv.bias, "bias") + ", " +
                          script_int_list(options.stride()) + ", " + script_int_list(*padding) + ", " +
                          script_int_list(options.dilation()) + ", " + std::to_string(options.groups()) + ")");
}

torch::jit::Module script_conv2d_same(ScriptEmitter& emitter, const torch::nn::Conv2dImpl& conv) {
  require_zero_padding_mode(conv);
  define_same_padding_functions(emitter);
  const auto& options = conv.options;
  return layer_module(emitter, "Conv2dSame", conv,
                      "conv2d_same(x, self.weight, " + optional_tensor(conv.bias, "bias") + ", " +
                          script_int_list(options.stride()) + ", " + script_int_list(options.dilation()) + ", " +
                          std::to_string(options.groups()) + ")");
}

torch::jit::Module script_batch_norm(ScriptEmitter& emitter, const torch::nn::BatchNorm2dImpl& bn) {
  const auto& options = bn.options;
  if (!options.track_running_stats())
    throw Error("", "a BatchNorm2d without running statistics normalises by the batch even in eval mode; "
                    "it has no TorchScript form here");
  // The momentum only matters in training; the cumulative average (no momentum) passes 0.
  return layer_module(emitter, "BatchNorm2d", bn,
                      "torch.batch_norm(x, " + optional_tensor(bn.weight, "weight") + ", " +
                          optional_tensor(bn.bias, "bias") + ", self.running_mean, self.running_var, False, " +
                          script_float(options.momentum().value_or(0.0)) + ", " + script_float(options.eps()) +
                          ", True)");
}

torch::jit::Module script_linear(ScriptEmitter& emitter, const torch::nn::LinearImpl& linear) {
  return layer_module(emitter, "Linear", linear,
                      "torch.linear(x, self.weight, " + optional_tensor(linear.bias, "bias") + ")");
}

}  // namespace nas
