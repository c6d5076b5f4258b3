#include "evaluators/training/supernet_training.hpp"

#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "ops/batch_norm.hpp"
#include "ops/training_random.hpp"

namespace nas {

Json SupernetEpochFigures::to_json() const {
  return Json{{"train_loss", train_loss}, {"train_accuracy", train_accuracy}, {"examples", examples},
              {"steps", steps},           {"seconds", seconds},               {"lr", lr}};
}

std::int64_t supernet_steps_per_epoch(std::int64_t train_examples, const SupernetOptions& options) {
  std::int64_t steps = train_examples / options.batch_size;
  if (options.max_steps_per_epoch > 0) steps = std::min(steps, options.max_steps_per_epoch);
  return steps;
}

double supernet_learning_rate(double base_lr, double min_lr, std::int64_t step, std::int64_t total_steps,
                              std::int64_t lr_warmup_steps) {
  if (step < lr_warmup_steps)
    return min_lr + (base_lr - min_lr) * static_cast<double>(step) / static_cast<double>(lr_warmup_steps);
  const std::int64_t span = std::max<std::int64_t>(1, total_steps - lr_warmup_steps);
  const double progress = static_cast<double>(step - lr_warmup_steps) / static_cast<double>(span);
  return min_lr + (base_lr - min_lr) * 0.5 * (1.0 + std::cos(std::acos(-1.0) * progress));
}

namespace {

// Sums every parameter's gradient over the team and says which have one after the sum (each slice's
// loss already counts by its share of the batch, so the sum is the batch's gradient). One buffer, one
// collective: a flag per parameter, then every value (zeros where there is no gradient).
void sum_gradients(const std::vector<torch::Tensor>& parameters, DataParallel& team) {
  std::int64_t values = 0;
  for (const auto& parameter : parameters) values += parameter.numel();
  const auto count = static_cast<std::int64_t>(parameters.size());
  torch::Tensor buffer = torch::zeros({count + values}, torch::kFloat32);
  // The flags through a raw pointer: an indexing op per parameter per step would cost more than the sum.
  float* flags = buffer.data_ptr<float>();
  std::int64_t at = count;
  for (std::int64_t i = 0; i < count; ++i) {
    const torch::Tensor& parameter = parameters[static_cast<std::size_t>(i)];
    const std::int64_t numel = parameter.numel();
    if (parameter.grad().defined()) {
      flags[i] = 1.0f;
      buffer.slice(0, at, at + numel).copy_(parameter.grad().detach().reshape({-1}).to(torch::kCPU, torch::kFloat32));
    }
    at += numel;
  }
  team.sum(flags, static_cast<std::size_t>(buffer.numel()));
  at = count;
  for (std::int64_t i = 0; i < count; ++i) {
    torch::Tensor parameter = parameters[static_cast<std::size_t>(i)];
    const std::int64_t numel = parameter.numel();
    if (flags[i] > 0) {
      const torch::Tensor summed = buffer.slice(0, at, at + numel).view(parameter.sizes());
      parameter.mutable_grad() = summed.to(parameter.device(), parameter.scalar_type()).clone();
    } else {
      parameter.mutable_grad().reset();
    }
    at += numel;
  }
}

// Batch norm's statistics summed over the team (ops/batch_norm.hpp).
class TeamBatchStatistics : public BatchStatisticsSync {
 public:
  explicit TeamBatchStatistics(DataParallel& team) : team_(team) {}
  void sum(double* values, std::size_t count) override { team_.sum(values, count); }

 private:
  DataParallel& team_;
};

}  // namespace

SupernetEpochFigures train_supernet_epoch(Supernet& supernet, torch::optim::Optimizer& optimizer,
                                          const std::vector<double>& base_lr, const ImageDataset& data,
                                          const SupernetOptions& options, std::uint64_t seed, int epoch,
                                          DataParallel& team) {
  const auto start = std::chrono::steady_clock::now();
  // Slices of whole rows (one example of each group; group = example index mod G) keep every example's
  // sub-network and give every member some examples of every group, so the members run the same
  // modules in the same order and their collectives (batch norm's, the gradients') line up.
  const std::int64_t rows = options.examples_per_arch;
  const std::int64_t members = team.size();
  if (rows < members)
    throw Error("supernet.examples_per_arch", "is " + std::to_string(rows) + ", fewer than the " +
                                                  std::to_string(members) +
                                                  " ranks that train the supernet together: each needs an example of "
                                                  "every sub-network of a batch; raise it or run on fewer ranks");
  const std::int64_t first_row = rows * team.index() / members;
  const std::int64_t slice_begin = first_row * options.groups();
  const std::int64_t slice_size = (rows * (team.index() + 1) / members - first_row) * options.groups();
  const double share = static_cast<double>(slice_size) / static_cast<double>(options.batch_size);
  std::optional<TeamBatchStatistics> statistics;
  if (members > 1) statistics.emplace(team);
  const BatchStatisticsSyncScope synced_batch_norm(statistics ? &*statistics : nullptr);
  const std::int64_t count = data.train_images.size(0);
  const std::int64_t steps = supernet_steps_per_epoch(count, options);
  if (steps == 0)
    throw Error("supernet.batch_size", "is " + std::to_string(options.batch_size) + " but the training subset has " +
                                           std::to_string(count) + " examples: no full batch to train on");
  const std::int64_t total_steps = steps * options.epochs;
  const std::int64_t warmup_steps = steps * options.lr_warmup_epochs;
  const torch::Device device = options.device;
  const torch::Tensor mean = data.mean.to(device, torch::kFloat32).view({1, -1, 1, 1});
  const torch::Tensor std = data.std.to(device, torch::kFloat32).view({1, -1, 1, 1});

  // Three streams per epoch, all from (seed, epoch): batch order, the groups' sub-networks, and the
  // network's own random ops (drop path) through a training generator.
  const std::uint64_t epoch_seed = derive_seed(seed, static_cast<std::uint64_t>(epoch));
  Rng order_rng(derive_seed(epoch_seed, 0));
  Rng group_rng(derive_seed(epoch_seed, 1));
  const TrainingRandomScope randomness(derive_seed(epoch_seed, 2));

  supernet.to(device);
  supernet.train();
  supernet.begin_epoch(epoch, options.warmup_epochs, options.rewire);

  std::vector<std::int64_t> order(static_cast<std::size_t>(count));
  std::iota(order.begin(), order.end(), 0);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[order_rng.index(i)]);
  const torch::Tensor epoch_order = torch::tensor(order, torch::kInt64);
  const auto loss_options =
      torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(options.label_smoothing);

  SupernetEpochFigures figures;
  double loss_sum = 0;
  double correct = 0;
  const std::vector<torch::Tensor> parameters = supernet.parameters();
  for (std::int64_t batch = 0; batch < steps; ++batch) {
    const std::int64_t step = epoch * steps + batch;
    const auto groups = supernet.sample_groups(static_cast<std::size_t>(options.groups()), epoch,
                                               options.warmup_epochs, group_rng);
    supernet.set_progress(static_cast<double>(step) / static_cast<double>(total_steps));
    double lr = 0;
    for (std::size_t g = 0; g < base_lr.size(); ++g) {
      lr = supernet_learning_rate(base_lr[g], options.min_lr, step, total_steps, warmup_steps);
      optimizer.param_groups()[g].options().set_lr(lr);
    }
    // Gradients are dropped, not zeroed: an op off every sampled path then has none and its optimizer
    // skips it (no weight decay, no momentum step), as single-path one-shot means; and what a step
    // does depends on the checkpointed weights and optimizer state alone, not on which ops happened
    // to get a gradient earlier in this process (a zeroed gradient would still move them).
    for (auto parameter : parameters) parameter.mutable_grad().reset();
    // This slice's loss summed over its examples, and how many it got right.
    double step_figures[2] = {0, 0};
    {
      const std::int64_t first = batch * options.batch_size + slice_begin;
      const auto index = epoch_order.slice(0, first, first + slice_size);
      const auto inputs = (data.train_images.index_select(0, index).to(device) - mean) / std;
      const auto targets = data.train_labels.index_select(0, index).to(device);
      const auto logits = supernet.forward(inputs, groups);
      const auto loss = torch::nn::functional::cross_entropy(logits, targets, loss_options);
      step_figures[0] = loss.item<double>() * static_cast<double>(slice_size);
      step_figures[1] = static_cast<double>(logits.argmax(1).eq(targets).sum().item<std::int64_t>());
      // The slice's mean loss by its share of the batch: the team's summed gradient is the batch's.
      if (std::isfinite(step_figures[0])) (members > 1 ? loss * share : loss).backward();
    }
    // Every member sees the batch's loss, so all stop together when it diverges.
    team.sum(step_figures, 2);
    const double value = step_figures[0] / static_cast<double>(options.batch_size);
    if (!std::isfinite(value))
      throw Error("supernet", "training diverged: the loss became " + std::string(std::isnan(value) ? "nan" : "inf") +
                                  " at step " + std::to_string(batch + 1) + " of epoch " + std::to_string(epoch + 1) +
                                  "; lower supernet.optimizer.lr or set supernet.grad_clip");
    if (team.size() > 1) sum_gradients(parameters, team);
    if (options.grad_clip > 0) torch::nn::utils::clip_grad_norm_(parameters, options.grad_clip);
    optimizer.step();
    loss_sum += step_figures[0];
    correct += step_figures[1];
    figures.lr = lr;
  }
  figures.steps = steps;
  figures.examples = steps * options.batch_size;
  figures.train_loss = loss_sum / static_cast<double>(figures.examples);
  figures.train_accuracy = correct / static_cast<double>(figures.examples);
  figures.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return figures;
}

}  // namespace nas
