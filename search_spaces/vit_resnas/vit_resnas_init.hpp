#pragma once
// The official initialisation (nets/vit_sr_supernet.py _init_weights, timm's trunc_normal_): Linear
// weights, position embeddings and the class token from a normal of std 0.02 truncated to [-2, 2]
// (absolute bounds, as timm's defaults, so at this std practically untruncated), Linear biases zero.
// Convolutions keep PyTorch's default initialisation, as they do there.
#include <torch/torch.h>

namespace nas {

// Fills `tensor` in place (without recording gradients).
void vit_trunc_normal_(torch::Tensor tensor, double std);

// A Linear layer (with a bias) initialised as above.
torch::nn::Linear make_vit_linear(std::int64_t in, std::int64_t out);

}  // namespace nas
