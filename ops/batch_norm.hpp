#pragma once
#include <torch/torch.h>

namespace nas {

// BatchNorm as the NASNet ops use it: epsilon 1e-3 as in slim. The running-average momentum stays at
// LibTorch's 0.1 rather than slim's 0.0003, because searched children train for one or a few epochs
// and slim's decay would leave the evaluation statistics at their initial values.
torch::nn::BatchNorm2d make_batch_norm(std::int64_t channels);

}  // namespace nas
