#include "search_spaces/nb201/nb201_genotype.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace nas {
namespace {

// Splits `text` at every `separator`, keeping empty parts.
std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find(separator, start)) != std::string::npos; start = end + 1)
    parts.push_back(text.substr(start, end - start));
  parts.push_back(text.substr(start));
  return parts;
}

const char* const kExample =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";

}  // namespace

const std::vector<std::string>& nb201_op_labels() {
  static const std::vector<std::string> labels = {"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3",
                                                  "avg_pool_3x3"};
  return labels;
}

int nb201_op_code(const std::string& label) {
  const auto& labels = nb201_op_labels();
  const auto it = std::find(labels.begin(), labels.end(), label);
  return it == labels.end() ? -1 : static_cast<int>(it - labels.begin());
}

int parse_nb201_op(const std::string& label, const std::string& where) {
  const int code = nb201_op_code(label);
  if (code < 0) throw Error(where, "unknown op '" + label + "'; " + accepted_list(label, nb201_op_labels()));
  return code;
}

int nb201_conv_kernel(int op) {
  switch (op) {
    case kNb201Conv1x1:
      return 1;
    case kNb201Conv3x3:
      return 3;
    default:
      return 0;
  }
}

const std::array<Nb201Edge, kNb201Edges>& nb201_edges() {
  static const std::array<Nb201Edge, kNb201Edges> edges = {Nb201Edge{0, 1}, Nb201Edge{0, 2}, Nb201Edge{1, 2},
                                                           Nb201Edge{0, 3}, Nb201Edge{1, 3}, Nb201Edge{2, 3}};
  return edges;
}

int nb201_edge_index(int from, int to) {
  // Node j's edges follow those of the nodes before it, j - 1 + ... + 1 of them.
  return to * (to - 1) / 2 + from;
}

const std::array<std::string, kNb201Edges>& nb201_edge_names() {
  static const std::array<std::string, kNb201Edges> names = [] {
    std::array<std::string, kNb201Edges> result;
    for (int e = 0; e < kNb201Edges; ++e)
      result[e] = std::to_string(nb201_edges()[e].from) + "-" + std::to_string(nb201_edges()[e].to);
    return result;
  }();
  return names;
}

int Nb201Genotype::index() const {
  int index = 0;
  for (int code : ops) index = index * kNb201Ops + code;
  return index;
}

Nb201Genotype Nb201Genotype::from_index(int index) {
  if (index < 0 || index >= kNb201Cells)
    throw Error(
        "", "NAS-Bench-201 cell numbers are 0.." + std::to_string(kNb201Cells - 1) + ", got " + std::to_string(index));
  Nb201Genotype genotype;
  for (int e = kNb201Edges - 1; e >= 0; --e) {
    genotype.ops[e] = index % kNb201Ops;
    index /= kNb201Ops;
  }
  return genotype;
}

std::string nb201_arch_string(const Nb201Genotype& genotype) {
  std::string text;
  for (int node = 1; node < kNb201Nodes; ++node) {
    text += node == 1 ? "|" : "+|";
    for (int from = 0; from < node; ++from)
      text += nb201_op_labels()[genotype.ops[nb201_edge_index(from, node)]] + "~" + std::to_string(from) + "|";
  }
  return text;
}

Nb201Genotype parse_nb201_arch_string(const std::string& text, const std::string& where) {
  const std::string expected = "; expected an arch string such as " + std::string(kExample);
  const std::vector<std::string> nodes = split(text, '+');
  if (static_cast<int>(nodes.size()) != kNb201Nodes - 1)
    throw Error(where, "'" + text + "' has " + std::to_string(nodes.size()) + " node groups separated by '+', not " +
                           std::to_string(kNb201Nodes - 1) + expected);
  Nb201Genotype genotype;
  for (int node = 1; node < kNb201Nodes; ++node) {
    const std::string& group = nodes[node - 1];
    const std::string node_where = "node " + std::to_string(node) + " ('" + group + "') of '" + text + "'";
    if (group.size() < 2 || group.front() != '|' || group.back() != '|')
      throw Error(where, node_where + " must start and end with '|'" + expected);
    const std::vector<std::string> inputs = split(group.substr(1, group.size() - 2), '|');
    if (static_cast<int>(inputs.size()) != node)
      throw Error(where, node_where + " lists " + std::to_string(inputs.size()) + " inputs; node " +
                             std::to_string(node) + " reads each of nodes 0.." + std::to_string(node - 1) + " once" +
                             expected);
    std::vector<bool> seen(node, false);
    for (const std::string& input : inputs) {
      const auto tilde = input.find('~');
      const std::string op = input.substr(0, tilde);
      const std::string from_text = tilde == std::string::npos ? "" : input.substr(tilde + 1);
      if (from_text.size() != 1 || from_text[0] < '0' || from_text[0] - '0' >= node)
        throw Error(where, node_where + ": '" + input + "' must be op~k with an earlier node k in 0.." +
                               std::to_string(node - 1) + expected);
      const int from = from_text[0] - '0';
      if (seen[from]) throw Error(where, node_where + " reads node " + from_text + " twice");
      seen[from] = true;
      genotype.ops[nb201_edge_index(from, node)] = parse_nb201_op(op, where + ": " + node_where);
    }
  }
  return genotype;
}

}  // namespace nas
