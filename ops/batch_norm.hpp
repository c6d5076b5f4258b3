#pragma once
#include <torch/torch.h>

namespace nas {

// Epsilons of the two conventions the spaces follow: TF slim's (NASNet) and PyTorch's default
// (NAS-Bench-201, whose networks are PyTorch modules).
constexpr double kSlimBatchNormEpsilon = 1e-3;
constexpr double kTorchBatchNormEpsilon = 1e-5;

// BatchNorm as the ops use it: epsilon 1e-3 as in slim unless told otherwise. The running-average
// momentum stays at LibTorch's 0.1 rather than slim's 0.0003, because searched children train for one
// or a few epochs and slim's decay would leave the evaluation statistics at their initial values.
torch::nn::BatchNorm2d make_batch_norm(std::int64_t channels, double epsilon = kSlimBatchNormEpsilon);

}  // namespace nas
