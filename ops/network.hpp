#pragma once
// The LibTorch side of an architecture: what a search space builds and a trainer trains.
#include <torch/torch.h>

namespace nas {

class Network : public torch::nn::Module {
 public:
  // Images as float tensors [N, C, H, W], already normalised by the data pipeline; returns logits [N, classes].
  virtual torch::Tensor forward(torch::Tensor input) = 0;
  // Training progress in [0, 1], for schedules that depend on it (ScheduledDropPath).
  virtual void set_progress(double progress) { (void)progress; }
};

}  // namespace nas
