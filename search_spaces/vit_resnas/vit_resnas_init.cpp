#include "search_spaces/vit_resnas/vit_resnas_init.hpp"

#include <cmath>

#include "search_spaces/vit_resnas/vit_resnas_plan.hpp"

namespace nas {
namespace {

double normal_cdf(double x) { return 0.5 * (1.0 + std::erf(x / std::sqrt(2.0))); }

}  // namespace

void vit_trunc_normal_(torch::Tensor tensor, double std) {
  // Inverse-CDF sampling, as timm does: uniform between the bounds' CDF values, mapped back.
  const double low = -2.0, high = 2.0;
  const double l = normal_cdf(low / std), u = normal_cdf(high / std);
  torch::NoGradGuard no_grad;
  tensor.uniform_(2 * l - 1, 2 * u - 1).erfinv_().mul_(std * std::sqrt(2.0)).clamp_(low, high);
}

torch::nn::Linear make_vit_linear(std::int64_t in, std::int64_t out) {
  torch::nn::Linear linear(in, out);
  vit_trunc_normal_(linear->weight, kVitInitStd);
  torch::NoGradGuard no_grad;
  linear->bias.zero_();
  return linear;
}

}  // namespace nas
