#include "ops/batch_norm.hpp"

namespace nas {

torch::nn::BatchNorm2d make_batch_norm(std::int64_t channels, double epsilon) {
  return torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(channels).eps(epsilon).momentum(0.1));
}

namespace {

thread_local BatchStatisticsSync* t_sync = nullptr;

// Sums a float64 CPU tensor over the replicas, in place.
void sum_over_replicas(BatchStatisticsSync& sync, torch::Tensor& values) {
  sync.sum(values.data_ptr<double>(), static_cast<std::size_t>(values.numel()));
}

// Batch norm over the union of the replicas' batches. Forward: per-channel sum, sum of squares and
// count summed over the replicas give the batch's mean and (biased) variance. Backward: the input's
// gradient needs the batch's sums of the output gradient and of it times the normalised input, summed
// the same way; weight and bias gradients stay local (the replicas' gradients are summed afterwards).
class SyncedBatchNorm : public torch::autograd::Function<SyncedBatchNorm> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias, double epsilon, int64_t sync_address,
                               torch::Tensor mean_out, torch::Tensor var_out) {
    auto& sync = *reinterpret_cast<BatchStatisticsSync*>(sync_address);
    const int64_t channels = x.size(1);
    const auto x64 = x.to(torch::kFloat64);
    torch::Tensor figures = torch::cat({x64.sum({0, 2, 3}), x64.pow(2).sum({0, 2, 3}),
                                        torch::full({1}, static_cast<double>(x.numel() / channels), torch::kFloat64)})
                                .contiguous();
    sum_over_replicas(sync, figures);
    const double count = figures[2 * channels].item<double>();
    const auto mean = figures.slice(0, 0, channels) / count;
    const auto var = (figures.slice(0, channels, 2 * channels) / count - mean.pow(2)).clamp_min(0);
    mean_out.copy_(mean);
    var_out.copy_(var * (count / std::max(1.0, count - 1)));  // the running variance is the unbiased one
    const auto invstd = (var + epsilon).rsqrt();
    const auto x_hat = ((x64 - mean.view({1, -1, 1, 1})) * invstd.view({1, -1, 1, 1})).to(x.scalar_type());
    ctx->save_for_backward({x_hat, weight, invstd.to(x.scalar_type())});
    ctx->saved_data["sync"] = sync_address;
    ctx->saved_data["count"] = count;
    return x_hat * weight.view({1, -1, 1, 1}) + bias.view({1, -1, 1, 1});
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& x_hat = saved[0];
    const torch::Tensor& weight = saved[1];
    const torch::Tensor& invstd = saved[2];
    auto& sync = *reinterpret_cast<BatchStatisticsSync*>(ctx->saved_data["sync"].toInt());
    const double count = ctx->saved_data["count"].toDouble();
    const torch::Tensor& grad = grads[0];
    const int64_t channels = grad.size(1);
    const auto grad_bias = grad.sum({0, 2, 3});
    const auto grad_weight = (grad * x_hat).sum({0, 2, 3});
    torch::Tensor figures = torch::cat({grad_bias, grad_weight}).to(torch::kFloat64).contiguous();
    sum_over_replicas(sync, figures);
    const auto mean_grad = (figures.slice(0, 0, channels) / count).to(grad.scalar_type()).view({1, -1, 1, 1});
    const auto mean_grad_x_hat = (figures.slice(0, channels, 2 * channels) / count).to(grad.scalar_type()).view({1, -1, 1, 1});
    const auto grad_input =
        (weight * invstd).view({1, -1, 1, 1}) * (grad - mean_grad - x_hat * mean_grad_x_hat);
    return {grad_input, grad_weight, grad_bias, torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

BatchStatisticsSyncScope::BatchStatisticsSyncScope(BatchStatisticsSync* sync) : previous_(t_sync) { t_sync = sync; }
BatchStatisticsSyncScope::~BatchStatisticsSyncScope() { t_sync = previous_; }

torch::Tensor batch_norm(torch::nn::BatchNorm2d& bn, const torch::Tensor& x) {
  if (!t_sync || !bn->is_training()) return bn->forward(x);
  const auto& options = bn->options;
  const int64_t channels = x.size(1);
  torch::Tensor mean = torch::empty({channels}, torch::kFloat64);
  torch::Tensor var = torch::empty({channels}, torch::kFloat64);
  const torch::Tensor y = SyncedBatchNorm::apply(x, bn->weight, bn->bias, options.eps(),
                                                 reinterpret_cast<int64_t>(t_sync), mean, var);
  torch::NoGradGuard no_grad;
  const double momentum = options.momentum().value_or(0.1);
  bn->running_mean.mul_(1 - momentum).add_(mean.to(bn->running_mean.scalar_type()), momentum);
  bn->running_var.mul_(1 - momentum).add_(var.to(bn->running_var.scalar_type()), momentum);
  bn->num_batches_tracked.add_(1);
  return y;
}

}  // namespace nas
