#pragma once
// Trains and evaluates one network on image tensors. The pieces are separate so that a search trial
// (train on the training subset, validate) and a final retraining (train on train+validation, measure
// test accuracy) share one training loop and one evaluation loop.
#include <torch/torch.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "core/trial.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/training/trainer_options.hpp"
#include "ops/network.hpp"

namespace nas {

// A trial's stopwatch and its time limit (evaluator.trial_time_limit; 0 = none).
class TrialClock {
 public:
  TrialClock(double limit_seconds, std::string limit_key);
  explicit TrialClock(const TrainerOptions& options);
  double elapsed_seconds() const;
  // Throws TrialFailure naming the limit and its key once the trial has run past it; `position` says
  // where the trial was ("after step 7 of 150").
  void check(const std::string& position) const;

 private:
  std::chrono::steady_clock::time_point start_;
  double limit_seconds_;
  std::string limit_key_;
};

struct EvaluationResult {
  double accuracy = 0;  // fraction of examples whose arg-max logit is the label
  double loss = 0;      // mean cross-entropy per example
};

// Trains `net` in place with `options` on `images` [N, C, H, W] in [0, 1] and `labels` [N], each batch
// normalised by the per-channel `mean` and `std`. Batches are drawn by a shuffle per epoch seeded with
// `seed`, and dropout and drop path by a generator of this training's own seeded from it
// (ops/training_random). The learning rate follows options.schedule per step and
// net.set_progress(step / steps) is called before each step. Throws TrialFailure when the loss stops being finite or `clock` runs out.
void train_network(Network& net, const torch::Tensor& images, const torch::Tensor& labels, const torch::Tensor& mean,
                   const torch::Tensor& std, const TrainerOptions& options, std::uint64_t seed,
                   const TrialClock& clock);

// Accuracy and mean loss of `net` on `images`/`labels`, in eval mode without gradients, in batches of
// options.eval_batch_size on options.device.
EvaluationResult evaluate_network(Network& net, const torch::Tensor& images, const torch::Tensor& labels,
                                  const torch::Tensor& mean, const torch::Tensor& std, const TrainerOptions& options,
                                  const TrialClock& clock);

// One search trial: trains on the dataset's training subset, validates on its validation set.
// Fills val_accuracy, val_loss and train_seconds (training and validation); params and madds are the
// caller's, who knows the architecture.
TrialMetrics train_and_validate(Network& net, const ImageDataset& dataset, const TrainerOptions& options,
                                std::uint64_t seed);

}  // namespace nas
