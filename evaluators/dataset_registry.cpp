#include "evaluators/dataset_registry.hpp"

namespace nas {

Registry<DatasetLoader>& dataset_registry() {
  static Registry<DatasetLoader> registry;
  return registry;
}

Registry<TaskShape>& dataset_shape_registry() {
  static Registry<TaskShape> registry;
  return registry;
}

std::shared_ptr<const ImageDataset> load_dataset(const ConfigNode& section, std::uint64_t seed) {
  const std::string name = section.choice("name", "", dataset_registry().names(), "dataset");
  auto dataset = (*dataset_registry().find(name))(section, seed);
  section.finish();
  return dataset;
}

}  // namespace nas
