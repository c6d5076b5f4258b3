#pragma once
#include <torch/torch.h>

#include <cstddef>

namespace nas {

// Epsilons of the two conventions the spaces follow: TF slim's (NASNet) and PyTorch's default
// (NAS-Bench-201, whose networks are PyTorch modules).
constexpr double kSlimBatchNormEpsilon = 1e-3;
constexpr double kTorchBatchNormEpsilon = 1e-5;

// BatchNorm as the ops use it: epsilon 1e-3 as in slim unless told otherwise. The running-average
// momentum stays at LibTorch's 0.1 rather than slim's 0.0003, because searched children train for one
// or a few epochs and slim's decay would leave the evaluation statistics at their initial values.
torch::nn::BatchNorm2d make_batch_norm(std::int64_t channels, double epsilon = kSlimBatchNormEpsilon);

// Where a batch is cut into slices trained by several processes at once (a supernet trained
// data-parallel), batch norm must normalise with the statistics of the whole batch, or the replicas
// train another network than one process would. This sums per-channel figures over the replicas.
class BatchStatisticsSync {
 public:
  virtual ~BatchStatisticsSync() = default;
  // Every replica calls it at the same point with the same count (a collective).
  virtual void sum(double* values, std::size_t count) = 0;
};

// While alive, batch_norm() in this thread in training mode uses the statistics summed by `sync` over
// the replicas (synchronised batch norm); null: each process its own batch, as without the scope.
class BatchStatisticsSyncScope {
 public:
  explicit BatchStatisticsSyncScope(BatchStatisticsSync* sync);
  ~BatchStatisticsSyncScope();
  BatchStatisticsSyncScope(const BatchStatisticsSyncScope&) = delete;
  BatchStatisticsSyncScope& operator=(const BatchStatisticsSyncScope&) = delete;

 private:
  BatchStatisticsSync* previous_;
};

// bn->forward(x), except in training mode under a BatchStatisticsSyncScope: then the mean and variance
// (and their gradients in backward) are those of every replica's examples together, and the running
// statistics move by them, so every replica keeps the same buffers.
torch::Tensor batch_norm(torch::nn::BatchNorm2d& bn, const torch::Tensor& x);

}  // namespace nas
