#include "search_spaces/vit_resnas/vit_resnas_block.hpp"

#include <cmath>

#include "ops/drop_path.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"
#include "search_spaces/vit_resnas/vit_resnas_init.hpp"

namespace nas {

VitResnasBlockImpl::VitResnasBlockImpl(const VitResnasBlockPlan& plan)
    : heads_(plan.heads), head_dim_(plan.head_dim), drop_path_(plan.drop_path) {
  const std::int64_t c = plan.embed, a = plan.attention_width();
  norm1_ = register_module("norm1", VitLayerNorm(c, kVitLayerNormEpsilon));
  qkv_ = register_module("qkv", make_vit_linear(c, 3 * a));
  proj_ = register_module("proj", make_vit_linear(a, c));
  norm2_ = register_module("norm2", VitLayerNorm(c, kVitLayerNormEpsilon));
  fc1_ = register_module("fc1", make_vit_linear(c, plan.mlp));
  fc2_ = register_module("fc2", make_vit_linear(plan.mlp, c));
}

torch::Tensor VitResnasBlockImpl::attention(const torch::Tensor& x, const VitResnasBlockMasks* masks) {
  const std::int64_t batch = x.size(0), tokens = x.size(1);
  // [3, B, heads, N, head_dim]: q, k and v each take a third of qkv's outputs, head after head.
  const torch::Tensor qkv = qkv_->forward(x).reshape({batch, tokens, 3, heads_, head_dim_}).permute({2, 0, 3, 1, 4});
  const torch::Tensor scores =
      torch::matmul(qkv[0], qkv[1].transpose(-2, -1)) * std::pow(static_cast<double>(head_dim_), -0.5);
  torch::Tensor heads =
      torch::matmul(scores.softmax(-1), qkv[2]).transpose(1, 2).reshape({batch, tokens, heads_ * head_dim_});
  if (masks) heads = heads * masks->heads;
  return proj_->forward(heads);
}

torch::Tensor VitResnasBlockImpl::forward(torch::Tensor x, const torch::Tensor& embed_mask,
                                          const VitResnasBlockMasks* masks) {
  // What each branch output is multiplied by: the embedding mask, and the layer mask of a block
  // some group skips. (The official code also ANDs in the previous block's layer mask, which only
  // matters for two skippable blocks in a row; the presets alternate fixed and skippable blocks.)
  torch::Tensor branch_mask = embed_mask;
  if (masks && masks->layer.defined()) branch_mask = branch_mask.defined() ? branch_mask * masks->layer : masks->layer;
  const double keep = is_training() ? 1.0 - drop_path_ : 1.0;

  torch::Tensor branch = drop_path(attention(norm1_->forward(x, embed_mask), masks), keep);
  if (branch_mask.defined()) branch = branch * branch_mask;
  x = x + branch;

  torch::Tensor hidden = torch::gelu(fc1_->forward(norm2_->forward(x, embed_mask)));
  if (masks) hidden = hidden * masks->mlp;
  branch = drop_path(fc2_->forward(hidden), keep);
  if (branch_mask.defined()) branch = branch * branch_mask;
  return x + branch;
}

void VitResnasBlockImpl::rewire() {
  torch::NoGradGuard no_grad;
  const std::int64_t c = qkv_->weight.size(1);

  // Heads: qkv rows viewed as [3, heads, head_dim, C], proj columns as [C, heads, head_dim].
  const torch::Tensor qkv_weight = qkv_->weight.view({3, heads_, head_dim_, c});
  const torch::Tensor qkv_bias = qkv_->bias.view({3, heads_, head_dim_});
  const torch::Tensor proj_weight = proj_->weight.view({c, heads_, head_dim_});
  const torch::Tensor head_importance = qkv_weight.abs().sum(torch::IntArrayRef{0, 2, 3}) +
                                        qkv_bias.abs().sum(torch::IntArrayRef{0, 2}) +
                                        proj_weight.abs().sum(torch::IntArrayRef{0, 2});
  const torch::Tensor head_order = std::get<1>(head_importance.sort(/*stable=*/true, 0, /*descending=*/true));
  qkv_->weight.copy_(qkv_weight.index_select(1, head_order).reshape({3 * heads_ * head_dim_, c}));
  qkv_->bias.copy_(qkv_bias.index_select(1, head_order).reshape({3 * heads_ * head_dim_}));
  proj_->weight.copy_(proj_weight.index_select(1, head_order).reshape({c, heads_ * head_dim_}));

  // MLP hidden units: fc1 rows and bias, fc2 columns.
  const torch::Tensor unit_importance = fc1_->weight.abs().sum(1) + fc1_->bias.abs() + fc2_->weight.abs().sum(0);
  const torch::Tensor unit_order = std::get<1>(unit_importance.sort(/*stable=*/true, 0, /*descending=*/true));
  fc1_->weight.copy_(fc1_->weight.index_select(0, unit_order));
  fc1_->bias.copy_(fc1_->bias.index_select(0, unit_order));
  fc2_->weight.copy_(fc2_->weight.index_select(1, unit_order));
}

torch::jit::Module VitResnasBlockImpl::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("VitResnasBlock");
  module.register_module("norm1", norm1_->to_script(emitter));
  module.register_module("qkv", script_linear(emitter, *qkv_));
  module.register_module("proj", script_linear(emitter, *proj_));
  module.register_module("norm2", norm2_->to_script(emitter));
  module.register_module("fc1", script_linear(emitter, *fc1_));
  module.register_module("fc2", script_linear(emitter, *fc2_));
  // The attention as forward() computes it, with this block's sizes written in.
  const std::string shape = "[b, n, 3, " + std::to_string(heads_) + ", " + std::to_string(head_dim_) + "]";
  const std::string width = std::to_string(heads_ * head_dim_);
  std::string source = "def forward(self, x: Tensor) -> Tensor:\n";
  source += "    b = x.size(0)\n";
  source += "    n = x.size(1)\n";
  source += "    qkv = self.qkv.forward(self.norm1.forward(x)).reshape(" + shape + ").permute([2, 0, 3, 1, 4])\n";
  source += "    scores = torch.matmul(qkv[0], qkv[1].transpose(-2, -1)) * " +
            script_float(std::pow(static_cast<double>(head_dim_), -0.5)) + "\n";
  source +=
      "    heads = torch.matmul(torch.softmax(scores, -1), qkv[2]).transpose(1, 2).reshape([b, n, " + width + "])\n";
  source += "    x = x + self.proj.forward(heads)\n";
  source += "    return x + self.fc2.forward(torch.gelu(self.fc1.forward(self.norm2.forward(x))))\n";
  emitter.define(module, source);
  return module;
}

}  // namespace nas
