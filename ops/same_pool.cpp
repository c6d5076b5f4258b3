#include "ops/same_pool.hpp"

#include <limits>

#include "ops/batch_norm.hpp"
#include "ops/same_padding.hpp"

namespace nas {

SamePool::SamePool(const SamePoolOptions& options) : options_(options) {
  if (options.in_channels != options.out_channels) {
    projection_ = register_module(
        "projection",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(options.in_channels, options.out_channels, 1).bias(false)));
    projection_bn_ = register_module("projection_bn", make_batch_norm(options.out_channels));
  }
}

torch::Tensor SamePool::average(const torch::Tensor& input) const {
  const std::int64_t k = options_.kernel, s = options_.stride;
  const SamePadding padding = same_padding(input, {k, k}, {s, s});
  if (padding.symmetric())
    return torch::avg_pool2d(input, {k, k}, {s, s}, {padding.rows[0], padding.columns[0]}, false,
                             /*count_include_pad=*/false);
  // Padded cells are zeros in `sums`; dividing by the share of real cells per window excludes them,
  // which avg_pool2d's own count_include_pad cannot do for asymmetric padding.
  const torch::Tensor sums = torch::avg_pool2d(pad_explicitly(input, padding, 0.0), {k, k}, {s, s});
  const torch::Tensor ones = torch::ones({1, 1, input.size(2), input.size(3)}, input.options());
  const torch::Tensor real_share = torch::avg_pool2d(pad_explicitly(ones, padding, 0.0), {k, k}, {s, s});
  return sums / real_share;
}

torch::Tensor SamePool::maximum(const torch::Tensor& input) const {
  const std::int64_t k = options_.kernel, s = options_.stride;
  const SamePadding padding = same_padding(input, {k, k}, {s, s});
  if (padding.symmetric()) return torch::max_pool2d(input, {k, k}, {s, s}, {padding.rows[0], padding.columns[0]});
  return torch::max_pool2d(pad_explicitly(input, padding, -std::numeric_limits<double>::infinity()), {k, k}, {s, s});
}

torch::Tensor SamePool::forward(torch::Tensor input) {
  torch::Tensor x = options_.kind == PoolKind::average ? average(input) : maximum(input);
  if (projection_) x = projection_bn_->forward(projection_->forward(x));
  return x;
}

}  // namespace nas
