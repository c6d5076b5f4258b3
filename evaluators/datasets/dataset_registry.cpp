#include "evaluators/datasets/dataset_registry.hpp"

namespace nas {

Registry<DatasetLoader>& dataset_registry() {
  static Registry<DatasetLoader> registry;
  return registry;
}

Registry<DatasetShapeReader>& dataset_shape_registry() {
  static Registry<DatasetShapeReader> registry;
  return registry;
}

std::shared_ptr<const ImageDataset> load_dataset(const ConfigNode& section, std::uint64_t seed) {
  const std::string name = section.choice("name", "", dataset_registry().names(), "dataset");
  auto dataset = (*dataset_registry().find(name))(section, seed);
  section.finish();
  return dataset;
}

}  // namespace nas
