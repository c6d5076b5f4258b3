#include "controllers/rl/adam.hpp"

#include <cmath>

#include "controllers/rl/float_codec.hpp"
#include "core/error.hpp"

namespace nas::rl {

Adam::Adam(std::size_t size, double learning_rate, double beta1, double beta2, double epsilon)
    : learning_rate_(learning_rate),
      beta1_(beta1),
      beta2_(beta2),
      epsilon_(epsilon),
      first_moment_(size, 0.0f),
      second_moment_(size, 0.0f) {}

void Adam::step(std::vector<float>& parameters, std::vector<float>& gradient) {
  if (parameters.size() != first_moment_.size() || gradient.size() != first_moment_.size())
    throw Error("rl controller", "Adam was given vectors of another size than it was built for");
  ++steps_;
  const double correction1 = 1.0 - std::pow(beta1_, static_cast<double>(steps_));
  const double correction2 = 1.0 - std::pow(beta2_, static_cast<double>(steps_));
  const float beta1 = static_cast<float>(beta1_);
  const float beta2 = static_cast<float>(beta2_);
  const float step_size = static_cast<float>(learning_rate_ / correction1);
  const float root_correction2 = static_cast<float>(std::sqrt(correction2));
  const float epsilon = static_cast<float>(epsilon_);
  float* __restrict weight = parameters.data();
  float* __restrict grad = gradient.data();
  float* __restrict first = first_moment_.data();
  float* __restrict second = second_moment_.data();
  for (std::size_t i = 0; i < first_moment_.size(); ++i) {
    first[i] = beta1 * first[i] + (1.0f - beta1) * grad[i];
    second[i] = beta2 * second[i] + (1.0f - beta2) * grad[i] * grad[i];
    weight[i] -= step_size * first[i] / (std::sqrt(second[i]) / root_correction2 + epsilon);
    grad[i] = 0.0f;
  }
}

Json Adam::state() const {
  return Json{{"steps", steps_},
              {"first_moment", encode_floats(first_moment_)},
              {"second_moment", encode_floats(second_moment_)}};
}

void Adam::restore(const Json& state) {
  steps_ = state.at("steps").get<std::int64_t>();
  first_moment_ = decode_floats(state.at("first_moment").get<std::string>(), first_moment_.size(), "adam.first_moment");
  second_moment_ =
      decode_floats(state.at("second_moment").get<std::string>(), second_moment_.size(), "adam.second_moment");
}

}  // namespace nas::rl
