#pragma once
// What an einspace space is configured with (the `space:` section of an experiment file).
#include <cstdint>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "search_spaces/einspace/einspace_shape.hpp"

namespace nas {

struct EinspaceOptions {
  double computation_probability = 0.32;  // p(M -> C); the paper's default, the grammar terminates above 0.31
  int max_depth = 100;                    // from this derivation depth on, M can only become C
  std::int64_t max_nodes = 10000;         // nodes one derivation may create (backtracked ones included)
  std::int64_t max_params = 25000000;     // an architecture with more parameters is not sampled
  std::int64_t max_feature_elements = 1 << 20;  // no tensor of one example may hold more values
  // Operations in the built network: a b = 4 or 8 branch builds its module b times, so nested copies
  // multiply a small tree into a network of thousands of layers.
  std::int64_t max_operations = 5000;
  std::vector<std::int64_t> linear_widths{16, 32, 64, 128, 256, 512, 1024, 2048};
  std::vector<std::string> exclude;  // terminal labels never sampled, e.g. "im2col(16,16,0)"
  EinShape input;                    // one example's shape in Im mode; unset: the dataset's
};

// Reads and checks every key of the section it accepts; the caller reports unknown keys.
EinspaceOptions read_einspace_options(const ConfigNode& section);

}  // namespace nas
