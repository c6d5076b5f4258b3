#pragma once
// Weight inheritance (official nets/net_utils.py get_sub_state_dict): a sub-network's tensors are the
// leading slices of the supernet's tensors of the same name. Linear [:out, :in] and bias [:out];
// conv [:out, :in]; LayerNorm, class token and position embeddings [:C]; qkv per q/k/v third (the
// first heads x head_dim rows of each), then [:in]; the stem's BatchNorms whole, running statistics
// included.
#include <torch/torch.h>

namespace nas {

// Copies into every parameter and buffer of `sub` the slice it inherits from the tensor of the same
// name in `super`. Throws nas::Error for a tensor `super` lacks or holds smaller.
void inherit_vit_resnas_weights(torch::nn::Module& sub, const torch::nn::Module& super);

}  // namespace nas
