#include "ops/separable_conv.hpp"

#include "ops/batch_norm.hpp"
#include "ops/same_padding.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"

namespace nas {

SeparableConv::SeparableConv(const SeparableConvOptions& options) : options_(options) {
  first_ = make_pass("1", options.in_channels, options.stride);
  second_ = make_pass("2", options.out_channels, 1);
}

SeparableConv::Pass SeparableConv::make_pass(const std::string& name, std::int64_t in_channels,
                                             std::int64_t stride) {
  Pass pass;
  pass.depthwise = register_module(
      "depthwise" + name, torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, in_channels, options_.kernel)
                                                .stride(stride)
                                                .groups(in_channels)
                                                .bias(false)));
  pass.pointwise = register_module(
      "pointwise" + name,
      torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, options_.out_channels, 1).bias(false)));
  pass.bn = register_module("bn" + name, make_batch_norm(options_.out_channels));
  return pass;
}

torch::Tensor SeparableConv::apply(Pass& pass, torch::Tensor input) {
  return batch_norm(pass.bn, pass.pointwise->forward(conv2d_same(torch::relu(input), pass.depthwise)));
}

torch::Tensor SeparableConv::forward(torch::Tensor input) { return apply(second_, apply(first_, input)); }

void SeparableConv::add_script_pass(ScriptEmitter& emitter, torch::jit::Module& module, const Pass& pass,
                                    const std::string& name) {
  module.register_module("depthwise" + name, script_conv2d_same(emitter, *pass.depthwise));
  module.register_module("pointwise" + name, script_conv2d(emitter, *pass.pointwise));
  module.register_module("bn" + name, script_batch_norm(emitter, *pass.bn));
}

torch::jit::Module SeparableConv::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("SeparableConv");
  add_script_pass(emitter, module, first_, "1");
  add_script_pass(emitter, module, second_, "2");
  emitter.define(module, R"(
def forward(self, x: Tensor) -> Tensor:
    x = self.bn1.forward(self.pointwise1.forward(self.depthwise1.forward(torch.relu(x))))
    return self.bn2.forward(self.pointwise2.forward(self.depthwise2.forward(torch.relu(x))))
)");
  return module;
}

}  // namespace nas
