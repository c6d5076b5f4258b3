#pragma once
// Adam (Kingma & Ba 2015, with bias correction, as torch.optim.Adam) over one flat float vector.
// Its whole state, moments included, is JSON that restores it exactly.
#include <cstdint>
#include <vector>

#include "core/json.hpp"

namespace nas::rl {

class Adam {
 public:
  Adam(std::size_t size, double learning_rate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8);
  // One step along `gradient`, which it then sets to zero for the next accumulation (saving a pass
  // over memory: the moments, weights and gradient together do not fit in cache).
  void step(std::vector<float>& parameters, std::vector<float>& gradient);
  std::int64_t steps() const { return steps_; }

  Json state() const;
  void restore(const Json& state);

 private:
  double learning_rate_, beta1_, beta2_, epsilon_;
  std::int64_t steps_ = 0;
  std::vector<float> first_moment_;
  std::vector<float> second_moment_;
};

}  // namespace nas::rl
