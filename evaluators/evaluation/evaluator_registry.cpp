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

std::unique_ptr<Evaluator> make_evaluator(const EvaluatorSections& sections, const SearchSpace& space,
                                          std::uint64_t seed) {
  const std::string name =
      sections.evaluator.choice("name", kDefaultEvaluator, evaluator_registry().names(), "evaluator");
  return (*evaluator_registry().find(name))(sections, space, seed);
}

std::unique_ptr<Evaluator> make_evaluator(const ConfigNode& dataset_section, const ConfigNode& evaluator_section,
                                          const SearchSpace& space, std::uint64_t seed) {
  const ConfigNode no_supernet(YAML::Node(YAML::NodeType::Map), "supernet", std::make_shared<ConfigSource>());
  return make_evaluator(EvaluatorSections{dataset_section, evaluator_section, no_supernet}, space, seed);
}

std::optional<TaskShape> known_task(const ConfigNode& dataset_section, const ConfigNode& evaluator_section) {
  if (const DatasetShapeReader* reader =
          evaluator_task_registry().find(evaluator_section.string("name", kDefaultEvaluator)))
    return (*reader)(evaluator_section);
  if (dataset_section.has("name"))
    if (const DatasetShapeReader* reader = dataset_shape_registry().find(dataset_section.string("name", "")))
      return (*reader)(dataset_section);
  return std::nullopt;
}

}  // namespace nas
