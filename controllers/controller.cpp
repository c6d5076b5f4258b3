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
  const std::vector<std::string> named = space.named_architectures();
  const std::vector<std::string> names = options.string_list("seeds", {}, named);
  // An empty list of accepted entries accepts any: a space without named architectures says so here,
  // instead of a lookup error that names `nas space describe --arch`, a flag the user never gave.
  if (!names.empty() && named.empty())
    throw options.error("seeds", "search space '" + space.name() +
                                     "' has no named architectures to start from; leave seeds out");
  std::vector<SeedArchitecture> seeds;
  for (const auto& name : names) {
    try {
      seeds.push_back(SeedArchitecture{name, space.named(name)});
    } catch (const Error& e) {
      // The lookup speaks of --arch (nas space describe); here the name came from this key.
      const std::string& what = e.what();
      throw options.error("seeds", what.substr(e.where().empty() ? 0 : e.where().size() + 2));
    }
  }
  return seeds;
}

}  // namespace nas
