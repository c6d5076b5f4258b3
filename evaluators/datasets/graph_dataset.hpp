#pragma once
// One graph for node classification, loaded whole: what the node_classification evaluator trains on.
// Loaders register themselves by the name in `dataset.name` (e.g. planetoid).
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/config_node.hpp"
#include "core/registry.hpp"
#include "search_spaces/task.hpp"

namespace nas {

struct GraphDataset {
  std::string name;               // e.g. "cora"
  std::string source;             // where it was read from, for messages and model.json
  torch::Tensor features;         // [N, F] float32, sparse COO (bag-of-words features are ~1% non-zero)
  bool rows_normalised = false;   // each feature row was divided by its sum (as GCN and GAT do)
  torch::Tensor labels;           // [N] int64, -1 for unlabelled nodes
  torch::Tensor edge_index;       // [2, E] int64, each undirected edge in both directions, no self-loops
  torch::Tensor train, val, test; // node ids [n] int64, disjoint, all labelled
  std::int64_t classes = 0;

  std::int64_t nodes() const { return features.size(0); }
  // features as channels (height and width 1): what the spaces build networks for.
  TaskShape shape() const { return TaskShape{features.size(1), 1, 1, classes}; }
};

// Reads the keys of the `dataset:` section it needs (all but `name`) and loads the graph.
using GraphDatasetLoader = std::function<std::shared_ptr<const GraphDataset>(const ConfigNode& section)>;
Registry<GraphDatasetLoader>& graph_dataset_registry();

// Reads `section.name`, loads that graph and reports keys nobody read.
std::shared_ptr<const GraphDataset> load_graph_dataset(const ConfigNode& section);

}  // namespace nas
