#pragma once
// How a supernet is trained before the search: the `supernet:` section of an experiment file. The
// defaults are the tiny Fashion-MNIST config of the ViT-ResNAS fact sheet (batch 64, 16 examples per
// sub-network, so 4 sub-networks per step; choice warm-up over 2 epochs) with the official recipe's
// optimiser (AdamW, lr 5e-4 x batch / 512, weight decay 0.05, cosine to 1e-5, label smoothing 0.1).
#include <torch/torch.h>

#include <cstdint>

#include "core/config_node.hpp"
#include "evaluators/training/optimizer_registry.hpp"

namespace nas {

struct SupernetOptions {
  std::int64_t epochs = 4;
  std::int64_t batch_size = 64;
  // G = batch_size / examples_per_arch sub-networks share each step (multi-architecture sampling);
  // examples_per_arch = batch_size trains one sub-network per step (single-path one-shot).
  std::int64_t examples_per_arch = 16;
  // Choice warm-up W: epoch e enables the min(1 + floor(e (n-1) / W), n) largest of a decision's n
  // options (0: all from the start). Rewiring runs while e <= W.
  int warmup_epochs = 2;
  bool rewire = true;
  OptimizerFactory make_optimizer;  // supernet.optimizer; adamw by default
  double min_lr = 1e-5;             // the cosine schedule's floor, per step over all epochs
  std::int64_t lr_warmup_epochs = 0;  // linear learning-rate warm-up from min_lr (the recipe's 5 of 120)
  double label_smoothing = 0.1;
  double grad_clip = 0;             // max gradient norm; 0: none (the official recipe clips nothing)
  std::int64_t max_steps_per_epoch = 0;  // 0: every full batch of the training subset
  torch::Device device = torch::kCPU;

  std::int64_t groups() const { return batch_size / examples_per_arch; }
};

// Reads and checks every key of `section` (the `supernet:` section) and finishes it.
SupernetOptions read_supernet_options(const ConfigNode& section);

}  // namespace nas
