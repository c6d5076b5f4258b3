#pragma once
// What an architecture costs, computed from its op graph without building tensors.
#include <cstdint>
#include <string>
#include <vector>

namespace nas {

struct LayerSummary {
  std::string name;          // unique within the model, e.g. "cell3/b1/op_a/sep_conv_3x3"
  std::string kind;          // op type
  std::string output_shape;  // "CxHxW"
  std::int64_t params = 0;
  std::int64_t madds = 0;    // multiply-adds for one example
};

struct ModelSummary {
  std::int64_t params = 0;
  std::int64_t madds = 0;
  std::vector<LayerSummary> layers;
  std::string dot;  // Graphviz drawing of the op graph
};

}  // namespace nas
