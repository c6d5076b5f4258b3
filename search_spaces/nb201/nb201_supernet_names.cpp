#include "search_spaces/nb201/nb201_supernet_names.hpp"

namespace nas {

std::string nb201_supernet_tensor_name(const std::string& name, const Nb201Genotype& genotype) {
  // Only the second component can name a cell edge (layer<i>.edge<from>_<to>.<rest>).
  const std::size_t first_dot = name.find('.');
  if (first_dot == std::string::npos) return name;
  const std::size_t second_dot = name.find('.', first_dot + 1);
  if (second_dot == std::string::npos) return name;
  const std::string component = name.substr(first_dot + 1, second_dot - first_dot - 1);
  for (int e = 0; e < kNb201Edges; ++e) {
    const Nb201Edge& edge = nb201_edges()[e];
    if (component == nb201_edge_module_name(edge.from, edge.to))
      return name.substr(0, second_dot + 1) + nb201_op_labels()[genotype.ops[e]] + name.substr(second_dot);
  }
  return name;
}

}  // namespace nas
