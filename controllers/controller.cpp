#include "controllers/controller.hpp"

namespace nas {

Registry<ControllerFactory>& controller_registry() {
  static Registry<ControllerFactory> registry;
  return registry;
}

std::unique_ptr<Controller> make_controller(const ConfigNode& section, const SearchSpace& space, std::uint64_t seed) {
  const std::string name = section.choice("name", "", controller_registry().names(), "controller");
  auto controller = (*controller_registry().find(name))(section, space, seed);
  section.finish();
  return controller;
}

std::vector<SeedArchitecture> read_seed_architectures(const ConfigNode& options, const SearchSpace& space) {
  std::vector<SeedArchitecture> seeds;
  for (const auto& name : options.string_list("seeds", {}, space.named_architectures()))
    seeds.push_back(SeedArchitecture{name, space.named(name)});
  return seeds;
}

}  // namespace nas
