#pragma once
// DropPath: zeroes a whole branch output for a random subset of the examples in a batch and scales
// the kept ones by 1/keep, so the expected value is unchanged. NASNet's ScheduledDropPath varies
// `keep` over training; the caller computes it.
#include <torch/torch.h>

namespace nas {

// `input` [N, ...]; returns it unchanged when keep >= 1.
torch::Tensor drop_path(const torch::Tensor& input, double keep);

}  // namespace nas
