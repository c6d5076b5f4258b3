#include "ops/batch_norm.hpp"

namespace nas {

torch::nn::BatchNorm2d make_batch_norm(std::int64_t channels, double epsilon) {
  return torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(channels).eps(epsilon).momentum(0.1));
}

}  // namespace nas
