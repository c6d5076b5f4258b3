#pragma once
// Export of a trained graph network as one TorchScript module that takes the graph as the dataset
// files give it: raw node features [N, F] (dense float) and directed edges [2, E] int64 (each
// undirected edge both ways, no self-loops), and returns logits [N, classes].
#include <torch/torch.h>

#include "ops/graph/graph_network.hpp"

namespace nas {

// With `normalise_rows`, each feature row is divided by its sum inside the module (rows summing to 0
// stay), as the loader did in training; the network (GraphNetwork::to_script) is the submodule
// "network". The module holds copies of the tensors.
torch::jit::Module script_node_classifier(const GraphNetwork& network, bool normalise_rows);

}  // namespace nas
