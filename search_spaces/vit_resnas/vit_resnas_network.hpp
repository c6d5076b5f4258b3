#pragma once
// A ViT-ResNAS network built from its plan (official nets/vit_sr_supernet.py, without the distillation
// token): stem -> patch tokens; a class token prepended and a position embedding added -> per stage
// (a residual spatial reduction before every stage but the first) its kept transformer blocks -> LN of
// the class token -> Linear head.
//
// Left out: the official "shifted patch token mixup" training aid (an extra per-token head whose loss
// is added in training); the network is an ordinary classifier and the trainers' losses apply as
// they are. Dropout rates (drop_rate, attn_drop_rate) are 0 in the official scripts and absent here.
//
// The supernet (vit_resnas_supernet.hpp) is one of these built from the largest plan, run with
// forward_masked(); the modules are named after the block positions ("stage1_block3"), so a
// sub-network's parameters carry the names of those it inherits.
#include <torch/torch.h>

#include <memory>
#include <vector>

#include "ops/network.hpp"
#include "search_spaces/vit_resnas/vit_resnas_block.hpp"
#include "search_spaces/vit_resnas/vit_resnas_layer_norm.hpp"
#include "search_spaces/vit_resnas/vit_resnas_masks.hpp"
#include "search_spaces/vit_resnas/vit_resnas_plan.hpp"
#include "search_spaces/vit_resnas/vit_resnas_reduction.hpp"
#include "search_spaces/vit_resnas/vit_resnas_stem.hpp"

namespace nas {

class VitResnasNetwork : public Network {
 public:
  explicit VitResnasNetwork(const VitResnasPlan& plan);

  torch::Tensor forward(torch::Tensor input) override { return forward_masked(std::move(input), nullptr); }
  // With `masks` (sized by this network's plan, every block present), runs each example as its
  // group's sub-network: the embedding mask is applied after the tokens are embedded and after each
  // reduction, and handed to the LayerNorms and blocks of the stage.
  torch::Tensor forward_masked(torch::Tensor input, const VitResnasMasks* masks);
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;

  const VitResnasPlan& plan() const { return plan_; }
  // The blocks of each stage, in order (the kept ones for a stand-alone network).
  const std::vector<std::vector<VitResnasBlock>>& blocks() const { return blocks_; }

 private:
  VitResnasPlan plan_;
  VitResnasStem stem_{nullptr};
  torch::Tensor cls_token_, pos_embed_;
  std::vector<VitResnasReduction> reductions_;       // before stages 2, 3, ...
  std::vector<std::vector<VitResnasBlock>> blocks_;  // per stage
  VitLayerNorm norm_{nullptr};
  torch::nn::Linear head_{nullptr};
};

}  // namespace nas
