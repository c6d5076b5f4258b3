#include "evaluators/training/optimizer_registry.hpp"

namespace nas {

Registry<OptimizerReader>& optimizer_registry() {
  static Registry<OptimizerReader> registry;
  return registry;
}

OptimizerFactory read_optimizer(const ConfigNode& section, const std::string& default_name) {
  const std::string name = section.choice("name", default_name, optimizer_registry().names(), "optimizer");
  OptimizerFactory factory = (*optimizer_registry().find(name))(section);
  section.finish();
  return factory;
}

}  // namespace nas
