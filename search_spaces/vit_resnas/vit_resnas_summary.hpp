#pragma once
// What a ViT-ResNAS network costs, counted from its plan without building tensors. Multiply-adds are
// counted as the official counter counts them (network_utils/compute_flop_mac.py, MAC mode): the
// convolutions and linear layers (qkv, proj, MLP, the reductions' conv and class-token linear, the
// head) and the two attention products q k^T and attn v (n^2 x heads x head_dim each, n the tokens
// with the class token); no LayerNorm, softmax, GELU, bias or residual adds. Parameters are those of
// the built network (BatchNorm running statistics excluded).
#include "search_spaces/model_summary.hpp"
#include "search_spaces/vit_resnas/vit_resnas_plan.hpp"

namespace nas {

// Totals, one layer per stem conv, token embedding, block, reduction and the head, and a drawing.
ModelSummary summarize_vit_resnas(const VitResnasPlan& plan);

}  // namespace nas
