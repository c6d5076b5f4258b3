#pragma once
// How a candidate is trained and validated: the keys of the `evaluator:` section that the trainer owns.
// The same section also holds the pool's keys (workers, threads_per_worker), so reading it here does
// not finish() it: the caller does, once every reader has had its turn.
#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "core/config_node.hpp"
#include "evaluators/training/optimizer_registry.hpp"

namespace nas {

enum class LrSchedule { cosine, constant };

struct TrainerOptions {
  std::int64_t epochs = 1;
  std::int64_t max_steps = 0;  // 0: no cap on optimizer steps
  std::int64_t batch_size = 64;
  std::int64_t eval_batch_size = 500;
  OptimizerFactory make_optimizer;
  LrSchedule schedule = LrSchedule::cosine;  // per step, from the optimizer's lr down to 0 at the end
  double grad_clip = 5.0;                    // max gradient norm; 0: no clipping
  double trial_time_limit = 0;               // seconds; 0: no limit
  std::int64_t max_params = 0;               // 0: no cap
  torch::Device device = torch::kCPU;
  // Full key paths ("evaluator.max_params"), so that failure messages name the key the user can change.
  std::string trial_time_limit_key = "evaluator.trial_time_limit";
  std::string max_params_key = "evaluator.max_params";
};

// Reads and checks the trainer's keys of `section` (the `evaluator:` section) and finishes its
// `optimizer:` sub-section. Fails when `device` names a device this LibTorch cannot use.
TrainerOptions read_trainer_options(const ConfigNode& section);

// `section.device`: "cpu", "cuda" or "cuda:N", checked against what this LibTorch and this machine have.
torch::Device read_device(const ConfigNode& section);

// The multiplier of the optimizer's base learning rate at `step` (0-based) of `total_steps`.
double schedule_factor(LrSchedule schedule, std::int64_t step, std::int64_t total_steps);

}  // namespace nas
