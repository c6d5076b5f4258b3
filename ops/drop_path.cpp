#include "ops/drop_path.hpp"

#include "ops/training_random.hpp"

namespace nas {

torch::Tensor drop_path(const torch::Tensor& input, double keep) {
  if (keep >= 1.0) return input;
  std::vector<std::int64_t> mask_shape(static_cast<std::size_t>(input.dim()), 1);
  mask_shape[0] = input.size(0);
  const torch::Tensor mask = bernoulli_mask(mask_shape, keep, input.options());
  return input * mask / keep;
}

}  // namespace nas
