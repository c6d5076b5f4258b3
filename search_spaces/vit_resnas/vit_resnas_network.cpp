#include "search_spaces/vit_resnas/vit_resnas_network.hpp"

#include "core/error.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"
#include "search_spaces/vit_resnas/vit_resnas_init.hpp"

namespace nas {
namespace {

// Module and tensor names, shared by the LibTorch module and its TorchScript form so that both name
// each parameter alike, and by the supernet's weight inheritance.
const char* const kStemName = "stem";
const char* const kClassTokenName = "cls_token";
const char* const kPositionName = "pos_embed";
const char* const kNormName = "norm";
const char* const kHeadName = "head";

}  // namespace

VitResnasNetwork::VitResnasNetwork(const VitResnasPlan& plan) : plan_(plan) {
  const VitResnasStagePlan& first = plan.stages.front();
  stem_ = register_module(kStemName, VitResnasStem(plan));
  cls_token_ = register_parameter(kClassTokenName, torch::zeros({1, 1, first.embed}));
  pos_embed_ = register_parameter(kPositionName, torch::zeros({1, first.sequence(), first.embed}));
  vit_trunc_normal_(cls_token_, kVitInitStd);
  vit_trunc_normal_(pos_embed_, kVitInitStd);
  for (std::size_t s = 0; s < plan.stages.size(); ++s) {
    const VitResnasStagePlan& stage = plan.stages[s];
    if (s > 0) {
      const VitResnasStagePlan& previous = plan.stages[s - 1];
      reductions_.push_back(
          register_module(vit_resnas_reduction_name(s),
                          VitResnasReduction(previous.embed, stage.embed, previous.grid_h, previous.grid_w)));
    }
    std::vector<VitResnasBlock> blocks;
    for (const VitResnasBlockPlan& block : stage.blocks)
      blocks.push_back(register_module(vit_resnas_block_name(s, block.position), VitResnasBlock(block)));
    blocks_.push_back(std::move(blocks));
  }
  const std::int64_t last = plan.stages.back().embed;
  norm_ = register_module(kNormName, VitLayerNorm(last, kVitLayerNormEpsilon));
  head_ = register_module(kHeadName, make_vit_linear(last, plan.classes));
}

torch::Tensor VitResnasNetwork::forward_masked(torch::Tensor input, const VitResnasMasks* masks) {
  // The position embeddings are sized by the token grid, so only the planned image size fits.
  if (input.dim() != 4 || input.size(1) != plan_.in_channels || input.size(2) != plan_.input_h ||
      input.size(3) != plan_.input_w)
    throw Error("", "this ViT-ResNAS network was built for images of " + std::to_string(plan_.in_channels) + "x" +
                        std::to_string(plan_.input_h) + "x" + std::to_string(plan_.input_w) + " ([N, C, H, W]), got " +
                        c10::str(input.sizes()));
  const torch::Tensor patches = stem_->forward(input);
  torch::Tensor x = torch::cat({cls_token_.expand({patches.size(0), -1, -1}), patches}, 1) + pos_embed_;
  torch::Tensor embed_mask;
  for (std::size_t s = 0; s < blocks_.size(); ++s) {
    if (s > 0) x = reductions_[s - 1]->forward(x, embed_mask);
    if (masks) {
      embed_mask = masks->embed[s];
      x = x * embed_mask;
    }
    for (std::size_t b = 0; b < blocks_[s].size(); ++b)
      x = blocks_[s][b]->forward(x, embed_mask,
                                 masks ? &masks->blocks[s][plan_.stages[s].blocks[b].position] : nullptr);
  }
  const torch::Tensor cls = norm_->forward(x.slice(1, 0, 1), embed_mask);
  return head_->forward(cls.select(1, 0));
}

torch::jit::Module VitResnasNetwork::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("VitResnasNetwork");
  ScriptEmitter::copy_tensors(*this, module);
  module.register_module(kStemName, stem_->to_script(emitter));
  std::string source = "def forward(self, input: Tensor) -> Tensor:\n";
  source += std::string("    patches = self.") + kStemName + ".forward(input)\n";
  source += std::string("    x = torch.cat([self.") + kClassTokenName +
            ".expand([patches.size(0), -1, -1]), patches], 1) + self." + kPositionName + "\n";
  for (std::size_t s = 0; s < blocks_.size(); ++s) {
    if (s > 0) {
      const std::string name = vit_resnas_reduction_name(s);
      module.register_module(name, reductions_[s - 1]->to_script(emitter));
      source += "    x = self." + name + ".forward(x)\n";
    }
    for (std::size_t b = 0; b < blocks_[s].size(); ++b) {
      const std::string name = vit_resnas_block_name(s, plan_.stages[s].blocks[b].position);
      module.register_module(name, blocks_[s][b]->to_script(emitter));
      source += "    x = self." + name + ".forward(x)\n";
    }
  }
  module.register_module(kNormName, norm_->to_script(emitter));
  module.register_module(kHeadName, script_linear(emitter, *head_));
  source += std::string("    return self.") + kHeadName + ".forward(self." + kNormName + ".forward(x[:, 0, :]))\n";
  emitter.define(module, source);
  return module;
}

}  // namespace nas
