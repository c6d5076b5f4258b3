#include "evaluators/training/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>
#include <vector>

#include "evaluators/evaluation/trial_failure.hpp"
#include "ops/training_random.hpp"

namespace nas {
namespace {

// Moves a batch to the device and normalises it with statistics already shaped [1, C, 1, 1] there.
torch::Tensor prepare_images(const torch::Tensor& images, const torch::Tensor& mean, const torch::Tensor& std,
                             const torch::Device& device) {
  return (images.to(device) - mean) / std;
}

torch::Tensor channel_stat(const torch::Tensor& stat, const torch::Device& device) {
  return stat.to(device, torch::kFloat32).view({1, -1, 1, 1});
}

std::string step_position(std::int64_t step, std::int64_t total) {
  return "step " + std::to_string(step) + " of " + std::to_string(total);
}

}  // namespace

TrialClock::TrialClock(double limit_seconds, std::string limit_key)
    : start_(std::chrono::steady_clock::now()), limit_seconds_(limit_seconds), limit_key_(std::move(limit_key)) {}

TrialClock::TrialClock(const TrainerOptions& options)
    : TrialClock(options.trial_time_limit, options.trial_time_limit_key) {}

double TrialClock::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void TrialClock::check(const std::string& position) const {
  if (limit_seconds_ <= 0) return;
  const double elapsed = elapsed_seconds();
  if (elapsed <= limit_seconds_) return;
  std::ostringstream message;
  message << "stopped " << position << ": the trial ran " << elapsed << " s, over " << limit_key_ << " = "
          << limit_seconds_ << " s";
  throw TrialFailure(message.str());
}

void train_network(Network& net, const torch::Tensor& images, const torch::Tensor& labels, const torch::Tensor& mean,
                   const torch::Tensor& std, const TrainerOptions& options, std::uint64_t seed,
                   const TrialClock& clock) {
  const torch::Device device = options.device;
  net.to(device);
  net.train();
  auto optimizer = options.make_optimizer(net.parameters());
  std::vector<double> base_lr;
  for (auto& group : optimizer->param_groups()) base_lr.push_back(group.options().get_lr());

  const std::int64_t count = images.size(0);
  const std::int64_t batch_size = std::min(options.batch_size, count);
  // The incomplete last batch is dropped: a batch of one breaks batch norm, and the per-epoch shuffle
  // lets other examples fall off each time.
  const std::int64_t steps_per_epoch = count / batch_size;
  std::int64_t total_steps = options.epochs * steps_per_epoch;
  if (options.max_steps > 0) total_steps = std::min(total_steps, options.max_steps);

  const torch::Tensor device_mean = channel_stat(mean, device);
  const torch::Tensor device_std = channel_stat(std, device);
  std::mt19937_64 engine(seed);
  const TrainingRandomScope randomness(seed);
  std::vector<std::int64_t> order(static_cast<std::size_t>(count));

  std::int64_t step = 0;
  while (step < total_steps) {
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), engine);
    const torch::Tensor epoch_order = torch::tensor(order, torch::kInt64);
    for (std::int64_t batch = 0; batch < steps_per_epoch && step < total_steps; ++batch, ++step) {
      const auto index = epoch_order.slice(0, batch * batch_size, (batch + 1) * batch_size);
      const auto inputs = prepare_images(images.index_select(0, index), device_mean, device_std, device);
      const auto targets = labels.index_select(0, index).to(device);

      net.set_progress(static_cast<double>(step) / static_cast<double>(total_steps));
      const double factor = schedule_factor(options.schedule, step, total_steps);
      for (std::size_t g = 0; g < base_lr.size(); ++g) optimizer->param_groups()[g].options().set_lr(base_lr[g] * factor);

      optimizer->zero_grad();
      const auto loss = torch::nn::functional::cross_entropy(net.forward(inputs), targets);
      const double value = loss.item<double>();
      if (!std::isfinite(value))
        throw TrialFailure(std::string("loss became ") + (std::isnan(value) ? "nan" : "inf") + " at " +
                           step_position(step + 1, total_steps));
      loss.backward();
      if (options.grad_clip > 0) torch::nn::utils::clip_grad_norm_(net.parameters(), options.grad_clip);
      optimizer->step();
      clock.check("after " + step_position(step + 1, total_steps));
    }
  }
}

EvaluationResult evaluate_network(Network& net, const torch::Tensor& images, const torch::Tensor& labels,
                                  const torch::Tensor& mean, const torch::Tensor& std, const TrainerOptions& options,
                                  const TrialClock& clock) {
  const torch::Device device = options.device;
  net.to(device);
  net.eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor device_mean = channel_stat(mean, device);
  const torch::Tensor device_std = channel_stat(std, device);

  const std::int64_t count = images.size(0);
  double loss_sum = 0;
  std::int64_t correct = 0;
  for (std::int64_t start = 0; start < count; start += options.eval_batch_size) {
    const std::int64_t end = std::min(count, start + options.eval_batch_size);
    const auto inputs = prepare_images(images.slice(0, start, end), device_mean, device_std, device);
    const auto targets = labels.slice(0, start, end).to(device);
    const auto logits = net.forward(inputs);
    loss_sum += torch::nn::functional::cross_entropy(
                    logits, targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                    .item<double>();
    correct += logits.argmax(1).eq(targets).sum().item<std::int64_t>();
    clock.check("while evaluating, after " + std::to_string(end) + " of " + std::to_string(count) + " examples");
  }
  EvaluationResult result;
  result.accuracy = static_cast<double>(correct) / static_cast<double>(count);
  result.loss = loss_sum / static_cast<double>(count);
  return result;
}

TrialMetrics train_and_validate(Network& net, const ImageDataset& dataset, const TrainerOptions& options,
                                std::uint64_t seed) {
  const TrialClock clock(options);
  train_network(net, dataset.train_images, dataset.train_labels, dataset.mean, dataset.std, options, seed, clock);
  const EvaluationResult validation =
      evaluate_network(net, dataset.val_images, dataset.val_labels, dataset.mean, dataset.std, options, clock);
  // A finite training loss can still end in weights whose validation loss is not (e.g. overflowing
  // batch-norm statistics); such a result would poison rankings and logs.
  if (!std::isfinite(validation.loss))
    throw TrialFailure("validation loss became " + std::string(std::isnan(validation.loss) ? "nan" : "inf"));

  TrialMetrics metrics;
  metrics.val_accuracy = validation.accuracy;
  metrics.val_loss = validation.loss;
  metrics.train_seconds = clock.elapsed_seconds();
  return metrics;
}

}  // namespace nas
