#include "search_spaces/search_space.hpp"

#include "core/suggest.hpp"

namespace nas {

Architecture SearchSpace::mutate(const Architecture& parent, Rng& rng) const {
  // A draw can land on a decision with one option; a few retries find one that changes.
  return mutate_one_decision(parent, rng, 64, false);
}

Architecture SearchSpace::mutate_one_decision(const Architecture& parent, Rng& rng, int attempts,
                                              bool new_network) const {
  const auto& choices = parent.choices();
  if (choices.empty()) throw Error(name(), "cannot mutate an architecture with no decisions");
  for (int attempt = 0; attempt < attempts; ++attempt) {
    MutationPolicy policy(choices, rng.index(choices.size()), rng);
    Architecture child = sample(policy);
    if (policy.changed() && (!new_network || child.canonical() != parent.canonical())) return child;
  }
  throw Error(name(), new_network ? "found no decision whose change makes another network"
                                  : "no decision of this architecture has a second option to mutate to");
}

Architecture SearchSpace::replay(const std::vector<Choice>& choices) const {
  ReplayPolicy policy(choices);
  Architecture arch = sample(policy);
  if (!policy.finished()) throw Error(name(), "the recorded architecture has more choices than the space asks");
  return arch;
}

Architecture SearchSpace::named(const std::string& arch_name) const {
  throw Error("--arch", "search space '" + name() + "' has no architecture named '" + arch_name + "'; " +
                            accepted_list(arch_name, named_architectures()));
}

Registry<SearchSpaceFactory>& search_space_registry() {
  static Registry<SearchSpaceFactory> registry;
  return registry;
}

std::unique_ptr<SearchSpace> make_search_space(const ConfigNode& section, const TaskShape* task) {
  const auto names = search_space_registry().names();
  const std::string name = section.choice("name", "", names, "search space");
  auto space = (*search_space_registry().find(name))(section, task);
  section.finish();
  return space;
}

}  // namespace nas
