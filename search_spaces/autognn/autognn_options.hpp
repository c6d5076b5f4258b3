#pragma once
// The keys of `space: {name: autognn, ...}`: the number of layers, the options each decision offers
// (GraphNAS's by default), the dropout of the layers and whether they have residual connections.
#include <cstdint>
#include <string>
#include <vector>

#include "core/config_node.hpp"

namespace nas {

struct AutognnOptions {
  std::int64_t layers = 2;
  std::vector<std::string> attentions;   // default: all of ops/graph/graph_attention.hpp
  std::vector<std::string> aggregators;  // default: all
  std::vector<std::string> activations;  // default: all
  std::vector<std::string> heads = {"1", "2", "4", "6", "8", "16"};
  std::vector<std::string> units = {"4", "8", "16", "32", "64", "128", "256"};
  double dropout = 0.6;  // of each layer's input and of its attention coefficients
  // Layers after the first add a projection of their input to each head, as GraphNAS's DGL network
  // (the one behind its Cora figure) does; GraphNAS's PyG network and the papers' tables have none.
  bool residual = false;
};

AutognnOptions read_autognn_options(const ConfigNode& section);

}  // namespace nas
