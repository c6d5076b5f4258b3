#include "search_spaces/vit_resnas/vit_resnas_reduction.hpp"

#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"
#include "search_spaces/vit_resnas/vit_resnas_init.hpp"
#include "search_spaces/vit_resnas/vit_resnas_plan.hpp"

namespace nas {

VitResnasReductionImpl::VitResnasReductionImpl(std::int64_t in, std::int64_t out, std::int64_t grid_h,
                                               std::int64_t grid_w)
    : in_(in), out_(out), grid_h_(grid_h), grid_w_(grid_w) {
  TORCH_CHECK(out >= in && grid_h % 2 == 0 && grid_w % 2 == 0, "RSR needs C_out >= C_in and an even grid");
  norm_ = register_module("norm", VitLayerNorm(in, kVitLayerNormEpsilon));
  // The conv keeps PyTorch's default initialisation, as the official code leaves it.
  conv_ = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(2).padding(1)));
  token_ = register_module("token", make_vit_linear(in, out));
  pos_embed = register_parameter("pos_embed", torch::zeros({1, (grid_h / 2) * (grid_w / 2), out}));
  vit_trunc_normal_(pos_embed, kVitInitStd);
}

torch::Tensor VitResnasReductionImpl::forward(const torch::Tensor& x, const torch::Tensor& in_mask) {
  const std::int64_t batch = x.size(0), channels = x.size(2);
  const torch::Tensor normed = norm_->forward(x, in_mask);
  const torch::Tensor grid = normed.slice(1, 1).transpose(1, 2).reshape({batch, channels, grid_h_, grid_w_});
  const torch::Tensor patches = conv_->forward(grid).flatten(2).transpose(1, 2) + pos_embed;
  const torch::Tensor main = torch::cat({token_->forward(normed.slice(1, 0, 1)), patches}, 1);

  const torch::Tensor raw_grid = x.slice(1, 1).transpose(1, 2).reshape({batch, channels, grid_h_, grid_w_});
  const torch::Tensor pooled = torch::avg_pool2d(raw_grid, {2, 2}, {2, 2}).flatten(2).transpose(1, 2);
  const torch::Tensor residual = torch::constant_pad_nd(torch::cat({x.slice(1, 0, 1), pooled}, 1), {0, out_ - in_});
  return main + residual;
}

torch::jit::Module VitResnasReductionImpl::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("VitResnasReduction");
  ScriptEmitter::copy_tensors(*this, module);
  module.register_module("norm", norm_->to_script(emitter));
  module.register_module("conv", script_conv2d(emitter, *conv_));
  module.register_module("token", script_linear(emitter, *token_));
  const std::string grid = "[b, c, " + std::to_string(grid_h_) + ", " + std::to_string(grid_w_) + "]";
  std::string source = "def forward(self, x: Tensor) -> Tensor:\n";
  source += "    b = x.size(0)\n";
  source += "    c = x.size(2)\n";
  source += "    normed = self.norm.forward(x)\n";
  source += "    grid = normed[:, 1:, :].transpose(1, 2).reshape(" + grid + ")\n";
  source += "    patches = self.conv.forward(grid).flatten(2).transpose(1, 2) + self.pos_embed\n";
  source += "    main = torch.cat([self.token.forward(normed[:, 0:1, :]), patches], 1)\n";
  source += "    raw_grid = x[:, 1:, :].transpose(1, 2).reshape(" + grid + ")\n";
  source += "    pooled = torch.avg_pool2d(raw_grid, [2, 2], [2, 2]).flatten(2).transpose(1, 2)\n";
  source += "    residual = torch.constant_pad_nd(torch.cat([x[:, 0:1, :], pooled], 1), [0, " +
            std::to_string(out_ - in_) + "], 0.0)\n";
  source += "    return main + residual\n";
  emitter.define(module, source);
  return module;
}

}  // namespace nas
