// Random search: every proposal is a fresh sample from the space's prior.
#include "controllers/controller.hpp"

namespace nas {
namespace {

class RandomSearch : public Controller {
 public:
  RandomSearch(const SearchSpace& space, std::uint64_t seed) : space_(space), rng_(seed) {}

  Architecture propose() override {
    RandomPolicy policy(rng_);
    return space_.sample(policy);
  }
  void observe(const Trial&) override {}
  Json state() const override { return Json{{"rng", rng_.state()}}; }
  void restore(const Json& state) override { rng_.restore(state.at("rng").get<std::string>()); }

 private:
  const SearchSpace& space_;
  Rng rng_;
};

const bool registered = controller_registry().add(
    "random", [](const ConfigNode&, const SearchSpace& space, std::uint64_t seed) {
      return std::make_unique<RandomSearch>(space, seed);
    });

}  // namespace
}  // namespace nas
