#pragma once
// What a NAS-Bench-201 space is configured with (the `space:` section of an experiment file).
#include <cstdint>
#include <string>
#include <vector>

#include "core/config_node.hpp"

namespace nas {

struct Nb201Options {
  // The benchmark's network: 16 channels in the first stage, 5 cells per stage.
  std::int64_t channels = 16;
  std::int64_t cells_per_stage = 5;
  std::vector<std::string> ops;  // the op labels an edge may choose, in decision order

  // Whether these options build the network the benchmark's table was measured on (any op list).
  bool benchmark_network() const;
};

// Reads and checks every key of the section it accepts; the caller reports unknown keys.
Nb201Options read_nb201_options(const ConfigNode& section);

}  // namespace nas
