#include "experiments/run/phase.hpp"

#include <algorithm>

namespace nas {

Registry<PhaseKind>& phase_registry() {
  static Registry<PhaseKind> registry;
  return registry;
}

std::vector<std::string> wanted_phases(const ExperimentConfig& config) {
  std::vector<std::string> names;
  for (const std::string& name : phase_registry().names())
    if (phase_registry().find(name)->wanted(config)) names.push_back(name);
  std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return phase_registry().find(a)->position < phase_registry().find(b)->position;
  });
  return names;
}

}  // namespace nas
