#include "search_spaces/nb201/nb201_options.hpp"

#include "search_spaces/nb201/nb201_genotype.hpp"

namespace nas {

bool Nb201Options::benchmark_network() const {
  const Nb201Options benchmark;
  return channels == benchmark.channels && cells_per_stage == benchmark.cells_per_stage;
}

Nb201Options read_nb201_options(const ConfigNode& section) {
  Nb201Options options;
  options.channels = section.integer("channels", options.channels, 1, 4096);
  options.cells_per_stage = section.integer("cells_per_stage", options.cells_per_stage, 1, 32);
  options.ops = section.option_list("ops", nb201_op_labels(), nb201_op_labels());
  return options;
}

}  // namespace nas
