#include "evaluators/datasets/graph_dataset.hpp"

namespace nas {

Registry<GraphDatasetLoader>& graph_dataset_registry() {
  static Registry<GraphDatasetLoader> registry;
  return registry;
}

std::shared_ptr<const GraphDataset> load_graph_dataset(const ConfigNode& section) {
  const std::string name = section.choice("name", "", graph_dataset_registry().names(), "graph dataset");
  auto dataset = (*graph_dataset_registry().find(name))(section);
  section.finish();
  return dataset;
}

}  // namespace nas
