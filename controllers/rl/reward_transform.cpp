#include "controllers/rl/reward_transform.hpp"

#include <algorithm>
#include <functional>
#include <numeric>

namespace nas::rl {
namespace {

class AccuracyReward : public RewardTransform {
 public:
  double reward(double accuracy) override { return accuracy; }
};

// GraphNAS's reward: the accuracy minus the mean of the best k accuracies seen before it (0 for the
// first), so that only improving on the best so far is rewarded. GraphNAS also clips it to +-0.5;
// that is left out here.
class RelativeToTopK : public RewardTransform {
 public:
  explicit RelativeToTopK(std::size_t k) : k_(k) {}

  double reward(double accuracy) override {
    const double reward =
        top_.empty() ? 0.0
                     : accuracy - std::accumulate(top_.begin(), top_.end(), 0.0) / static_cast<double>(top_.size());
    top_.insert(std::upper_bound(top_.begin(), top_.end(), accuracy, std::greater<double>()), accuracy);
    if (top_.size() > k_) top_.pop_back();
    return reward;
  }
  Json state() const override { return Json(top_); }
  void restore(const Json& state) override { top_ = state.get<std::vector<double>>(); }

 private:
  std::size_t k_;
  std::vector<double> top_;  // best first
};

const bool registered_accuracy =
    reward_transform_registry().add("accuracy", [](const ConfigNode&) { return std::make_unique<AccuracyReward>(); });

const bool registered_relative = reward_transform_registry().add("relative_to_top_k", [](const ConfigNode& options) {
  return std::make_unique<RelativeToTopK>(static_cast<std::size_t>(options.integer("top_k", 5, 1, 100000)));
});

}  // namespace

Registry<RewardTransformFactory>& reward_transform_registry() {
  static Registry<RewardTransformFactory> registry;
  return registry;
}

}  // namespace nas::rl
