#include "search_spaces/nb201/nb201_canonical.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace nas {
namespace {

const char* const kZero = "#";

}  // namespace

std::string nb201_canonical(const Nb201Genotype& genotype) {
  std::array<std::string, kNb201Nodes> nodes;
  nodes[0] = "0";
  for (int node = 1; node < kNb201Nodes; ++node) {
    std::vector<std::string> terms;
    for (int from = 0; from < node; ++from) {
      const int op = genotype.ops[nb201_edge_index(from, node)];
      const std::string& source = nodes[from];
      if (op == kNb201None || source == kZero)
        terms.push_back(kZero);
      else if (op == kNb201Skip)
        terms.push_back(source);
      else
        terms.push_back("(" + source + ")@" + nb201_op_labels()[op]);
    }
    std::sort(terms.begin(), terms.end());
    for (std::size_t i = 0; i < terms.size(); ++i) nodes[node] += (i ? "+" : "") + terms[i];
  }
  return nodes[kNb201Nodes - 1];
}

}  // namespace nas
