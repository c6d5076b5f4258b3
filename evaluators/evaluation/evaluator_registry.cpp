#include "evaluators/evaluation/evaluator_registry.hpp"

namespace nas {

Registry<EvaluatorFactory>& evaluator_registry() {
  static Registry<EvaluatorFactory> registry;
  return registry;
}

Registry<DatasetShapeReader>& evaluator_task_registry() {
  static Registry<DatasetShapeReader> registry;
  return registry;
}

std::unique_ptr<Evaluator> make_evaluator(const ConfigNode& dataset_section, const ConfigNode& evaluator_section,
                                          const SearchSpace& space, std::uint64_t seed) {
  const std::string name =
      evaluator_section.choice("name", kDefaultEvaluator, evaluator_registry().names(), "evaluator");
  return (*evaluator_registry().find(name))(dataset_section, evaluator_section, space, seed);
}

}  // namespace nas
