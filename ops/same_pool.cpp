#include "ops/same_pool.hpp"

#include <limits>

#include "ops/batch_norm.hpp"
#include "ops/same_padding.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"

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
  if (projection_) x = batch_norm(projection_bn_, projection_->forward(x));
  return x;
}

namespace {

// Makes SamePool::average and SamePool::maximum callable from emitted code, in TorchScript:
// avg_pool2d_same(x, kernel, stride) and max_pool2d_same(x, kernel, stride).
void define_same_pool_functions(ScriptEmitter& emitter) {
  define_same_padding_functions(emitter);
  emitter.define_functions("same_pool", R"(
def avg_pool2d_same(x: Tensor, kernel: int, stride: int) -> Tensor:
    padding = same_padding_2d(x, [kernel, kernel], [stride, stride], [1, 1])
    if is_symmetric(padding):
        return torch.avg_pool2d(x, [kernel, kernel], [stride, stride], [padding[2], padding[0]], False, False)
    sums = torch.avg_pool2d(torch.constant_pad_nd(x, padding, 0.0), [kernel, kernel], [stride, stride])
    ones = torch.ones([1, 1, x.size(2), x.size(3)], dtype=x.dtype, device=x.device)
    real_share = torch.avg_pool2d(torch.constant_pad_nd(ones, padding, 0.0), [kernel, kernel], [stride, stride])
    return sums / real_share

def max_pool2d_same(x: Tensor, kernel: int, stride: int) -> Tensor:
    padding = same_padding_2d(x, [kernel, kernel], [stride, stride], [1, 1])
    if is_symmetric(padding):
        return torch.max_pool2d(x, [kernel, kernel], [stride, stride], [padding[2], padding[0]])
    return torch.max_pool2d(torch.constant_pad_nd(x, padding, float("-inf")), [kernel, kernel], [stride, stride])
)");
}

}  // namespace

torch::jit::Module SamePool::to_script(ScriptEmitter& emitter) const {
  define_same_pool_functions(emitter);
  torch::jit::Module module = emitter.make_module(options_.kind == PoolKind::average ? "AvgPool" : "MaxPool");
  const std::string pool = options_.kind == PoolKind::average ? "avg_pool2d_same" : "max_pool2d_same";
  std::string source = "def forward(self, x: Tensor) -> Tensor:\n    x = " + pool + "(x, " +
                       std::to_string(options_.kernel) + ", " + std::to_string(options_.stride) + ")\n";
  if (projection_) {
    module.register_module("projection", script_conv2d(emitter, *projection_));
    module.register_module("projection_bn", script_batch_norm(emitter, *projection_bn_));
    source += "    x = self.projection_bn.forward(self.projection.forward(x))\n";
  }
  emitter.define(module, source + "    return x\n");
  return module;
}

}  // namespace nas
