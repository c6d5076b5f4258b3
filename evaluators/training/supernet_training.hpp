#pragma once
// One epoch of supernet training with multi-architecture sampling (ViT-ResNAS, Liao et al. 2021):
// every step splits its batch into G = batch_size / examples_per_arch groups, draws G sub-networks
// from balanced banks (Supernet::sample_groups) and trains them in one forward and backward pass.
#include <torch/torch.h>

#include <cstdint>

#include "core/json.hpp"
#include "evaluators/evaluation/data_parallel.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/training/supernet_options.hpp"
#include "ops/supernet.hpp"

namespace nas {

struct SupernetEpochFigures {
  double train_loss = 0;      // mean over the epoch's examples (label-smoothed, as trained)
  double train_accuracy = 0;  // of each example's own sub-network
  std::int64_t examples = 0;
  std::int64_t steps = 0;
  double seconds = 0;
  double lr = 0;              // at the epoch's last step

  Json to_json() const;
};

// Optimizer steps in one epoch over `train_examples` examples: full batches only (a batch of one
// breaks batch norm), at most options.max_steps_per_epoch.
std::int64_t supernet_steps_per_epoch(std::int64_t train_examples, const SupernetOptions& options);

// The learning rate at global step `step` of `total_steps`: linear warm-up from min_lr over
// lr_warmup_steps, then cosine from `base_lr` down to min_lr.
double supernet_learning_rate(double base_lr, double min_lr, std::int64_t step, std::int64_t total_steps,
                              std::int64_t lr_warmup_steps);

// Trains `supernet` in place for epoch `epoch` (0-based) with `optimizer`, whose groups' base rates are
// `base_lr`, on the dataset's training subset. Everything random in the epoch (batch order, the
// groups' sub-networks, drop path) is drawn from seeds derived from `seed` and `epoch` alone, so an
// epoch trained after a resume equals the one the uninterrupted run trained. Calls
// supernet.begin_epoch first (rewiring). Throws nas::Error naming the epoch and step when the loss
// stops being finite.
//
// Data-parallel over `team`: each batch is cut into team.size() slices of whole rows (a row: one
// example of each of the G groups), so every example keeps the sub-network it has in one process;
// this process trains its slice, batch norm normalises with the whole batch's statistics
// (ops/batch_norm.hpp), each slice's loss counts by its share of the batch, and the team sums the
// gradients (and which parameters have one) before every member takes the same step. With the same
// global batch the weights are those of one process up to the order of the sums; drop path is the
// exception (its masks are drawn per slice).
SupernetEpochFigures train_supernet_epoch(Supernet& supernet, torch::optim::Optimizer& optimizer,
                                          const std::vector<double>& base_lr, const ImageDataset& data,
                                          const SupernetOptions& options, std::uint64_t seed, int epoch,
                                          DataParallel& team = one_process());

}  // namespace nas
