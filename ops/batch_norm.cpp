#include "ops/batch_norm.hpp"

namespace nas {

torch::nn::BatchNorm2d make_batch_norm(std::int64_t channels) {
  return torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(channels).eps(1e-3).momentum(0.1));
}

}  // namespace nas
