#include "search_spaces/nb201/nb201_space.hpp"

#include <algorithm>

#include "core/json_kind.hpp"
#include "core/suggest.hpp"
#include "search_spaces/nb201/nb201_canonical.hpp"
#include "search_spaces/nb201/nb201_network.hpp"
#include "search_spaces/nb201/nb201_op_graph.hpp"
#include "search_spaces/nb201/nb201_plan.hpp"
#include "search_spaces/nb201/nb201_supernet.hpp"

namespace nas {
namespace {

const bool registered = search_space_registry().add(
    "nb201", [](const ConfigNode& section, const TaskShape*) { return std::make_unique<Nb201Space>(read_nb201_options(section)); });

constexpr const char* kEdgeKind = "edge";

const std::array<std::string, kNb201Edges>& decision_keys() {
  static const std::array<std::string, kNb201Edges> keys = [] {
    std::array<std::string, kNb201Edges> result;
    for (int e = 0; e < kNb201Edges; ++e) result[e] = std::string(kEdgeKind) + "/" + nb201_edge_names()[e];
    return result;
  }();
  return keys;
}

}  // namespace

Nb201Space::Nb201Space(Nb201Options options) : options_(std::move(options)) {}

std::vector<DecisionKind> Nb201Space::decision_kinds() const { return {DecisionKind{kEdgeKind, options_.ops}}; }

Architecture Nb201Space::sample(Policy& policy) const {
  std::vector<Choice> choices;
  Nb201Genotype genotype;
  for (int e = 0; e < kNb201Edges; ++e) {
    const std::string& key = decision_keys()[e];
    const std::size_t index = policy.choose(Decision{key, options_.ops, {}, kEdgeKind});
    if (index >= options_.ops.size())
      throw Error(key,
                  "the policy chose option " + std::to_string(index) + " of " + std::to_string(options_.ops.size()));
    choices.push_back(Choice{key, index, options_.ops[index]});
    genotype.ops[e] = nb201_op_code(options_.ops[index]);
  }
  return make_architecture(std::move(choices), genotype);
}

Architecture Nb201Space::make_architecture(std::vector<Choice> choices, const Nb201Genotype& genotype) const {
  Json edges = Json::object();
  for (int e = 0; e < kNb201Edges; ++e) edges[nb201_edge_names()[e]] = nb201_op_labels()[genotype.ops[e]];
  return Architecture(name(), std::move(choices), Json{{"edges", edges}, {"short", nb201_arch_string(genotype)}},
                      nb201_canonical(genotype));
}

Nb201Genotype Nb201Space::parse_genotype_json(const Json& json) const {
  const std::string root = "genotype";
  if (json.is_string()) return parse_nb201_arch_string(json.get<std::string>(), root);
  if (!json.is_object())
    throw Error(root, "expected an arch string or an object {edges, short}, got " + json_kind(json));
  for (const auto& entry : json.items())
    if (entry.key() != "edges" && entry.key() != "short")
      throw Error(root + "." + entry.key(),
                  "unknown genotype field; " + accepted_list(entry.key(), {"edges", "short"}));
  if (!json.contains("edges")) throw Error(root, "missing 'edges', the op of each edge");
  const Json& edges = json.at("edges");
  const std::string where = root + ".edges";
  if (!edges.is_object()) throw Error(where, "expected an object {\"0-1\": op, ...}, got " + json_kind(edges));
  const auto& names = nb201_edge_names();
  const std::vector<std::string> accepted_edges(names.begin(), names.end());
  for (const auto& entry : edges.items())
    if (std::find(names.begin(), names.end(), entry.key()) == names.end())
      throw Error(where + "." + entry.key(), "no such edge; " + accepted_list(entry.key(), accepted_edges));
  Nb201Genotype genotype;
  for (int e = 0; e < kNb201Edges; ++e) {
    const std::string edge_where = where + "." + names[e];
    if (!edges.contains(names[e])) throw Error(where, "missing edge '" + names[e] + "'");
    const Json& op = edges.at(names[e]);
    if (!op.is_string()) throw Error(edge_where, "expected an op name, got " + json_kind(op));
    genotype.ops[e] = parse_nb201_op(op.get<std::string>(), edge_where);
  }
  if (json.contains("short")) {
    const Json& short_form = json.at("short");
    if (!short_form.is_string() || short_form.get<std::string>() != nb201_arch_string(genotype))
      throw Error(root + ".short", "is " + short_form.dump() + ", but the edges make '" + nb201_arch_string(genotype) +
                                       "'; give the edges alone or both alike");
  }
  return genotype;
}

Architecture Nb201Space::from_genotype(const Json& json) const {
  const Nb201Genotype genotype = parse_genotype_json(json);
  std::vector<Choice> choices;
  for (int e = 0; e < kNb201Edges; ++e) {
    const std::string& label = nb201_op_labels()[genotype.ops[e]];
    if (std::find(options_.ops.begin(), options_.ops.end(), label) == options_.ops.end())
      throw Error(
          "genotype.edges." + nb201_edge_names()[e],
          "op '" + label + "' is not among this space's ops (space.ops); " + accepted_list(label, options_.ops));
    choices.push_back(Choice{decision_keys()[e], 0, label});
  }
  return replay(choices);
}

Nb201Genotype Nb201Space::genotype_of(const Architecture& arch) const {
  if (arch.space() != name())
    throw Error(arch.hash(), "architecture of space '" + arch.space() + "' given to space '" + name() + "'");
  const std::vector<Choice>& choices = arch.choices();
  if (choices.size() != static_cast<std::size_t>(kNb201Edges))
    throw Error(arch.hash(), "an nb201 architecture makes " + std::to_string(kNb201Edges) + " choices, this one " +
                                 std::to_string(choices.size()));
  Nb201Genotype genotype;
  for (int e = 0; e < kNb201Edges; ++e) {
    genotype.ops[e] = nb201_op_code(choices[e].label);
    if (choices[e].key != decision_keys()[e] || genotype.ops[e] < 0)
      throw Error(arch.hash(), "choice " + std::to_string(e) + " is " + choices[e].key + "=" + choices[e].label +
                                   ", not an op for " + decision_keys()[e]);
  }
  return genotype;
}

ModelSummary Nb201Space::describe(const Architecture& arch, const TaskShape& task) const {
  return summarize_nb201_network(make_nb201_plan(genotype_of(arch), options_, task));
}

std::shared_ptr<Network> Nb201Space::build(const Architecture& arch, const TaskShape& task) const {
  return std::make_shared<Nb201Network>(make_nb201_plan(genotype_of(arch), options_, task));
}

std::shared_ptr<Supernet> Nb201Space::build_supernet(const TaskShape& task) const {
  return std::make_shared<Nb201Supernet>(*this, task);
}

}  // namespace nas
