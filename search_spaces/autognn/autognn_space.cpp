#include "search_spaces/autognn/autognn_space.hpp"

#include <algorithm>

#include "core/suggest.hpp"
#include "search_spaces/autognn/autognn_network.hpp"
#include "search_spaces/op_graph.hpp"

namespace nas {
namespace {

const bool registered = search_space_registry().add(
    "autognn", [](const ConfigNode& section, const TaskShape*) { return std::make_unique<AutognnSpace>(read_autognn_options(section)); });

const char* const kAttention = "attention";
const char* const kAggregator = "aggregator";
const char* const kActivation = "activation";
const char* const kHeads = "heads";
const char* const kUnits = "units";

std::string decision_key(std::size_t layer, const char* kind) { return "layer" + std::to_string(layer) + "/" + kind; }

const std::vector<std::string> kStandardHeads = AutognnOptions().heads;
const std::vector<std::string> kStandardUnits = AutognnOptions().units;

}  // namespace

AutognnSpace::AutognnSpace(AutognnOptions options) : options_(std::move(options)) {}

std::vector<DecisionKind> AutognnSpace::decision_kinds() const {
  return {{kAttention, options_.attentions},
          {kAggregator, options_.aggregators},
          {kActivation, options_.activations},
          {kHeads, options_.heads},
          {kUnits, options_.units}};
}

Architecture AutognnSpace::sample(Policy& policy) const {
  std::vector<Choice> choices;
  const auto ask = [&](std::size_t layer, const char* kind, const std::vector<std::string>& options) {
    const std::string key = decision_key(layer, kind);
    const std::size_t index = policy.choose(Decision{key, options, {}, kind});
    if (index >= options.size())
      throw Error(key, "the policy chose option " + std::to_string(index) + " of " + std::to_string(options.size()));
    choices.push_back(Choice{key, index, options[index]});
    return options[index];
  };
  AutognnGenotype genotype;
  for (std::int64_t layer = 0; layer < options_.layers; ++layer) {
    AutognnLayerGene gene;
    gene.attention = ask(layer, kAttention, options_.attentions);
    gene.aggregator = ask(layer, kAggregator, options_.aggregators);
    gene.activation = ask(layer, kActivation, options_.activations);
    gene.heads = std::stoll(ask(layer, kHeads, options_.heads));
    if (layer + 1 < options_.layers) gene.units = std::stoll(ask(layer, kUnits, options_.units));
    genotype.layers.push_back(gene);
  }
  // Every choice changes the network, so the short form is canonical.
  return Architecture(name(), std::move(choices), genotype.to_json(), genotype.short_form());
}

Architecture AutognnSpace::from_genotype(const Json& json) const {
  const AutognnGenotype genotype = parse_autognn_genotype(json, "genotype");
  if (static_cast<std::int64_t>(genotype.layers.size()) != options_.layers)
    throw Error("genotype", "has " + std::to_string(genotype.layers.size()) + " layers; this space has " +
                                std::to_string(options_.layers) + " (space.layers)");
  std::vector<Choice> choices;
  for (std::size_t layer = 0; layer < genotype.layers.size(); ++layer) {
    const AutognnLayerGene& gene = genotype.layers[layer];
    const auto add = [&](const char* kind, const std::string& label, const std::vector<std::string>& offered,
                         const std::string& key_name) {
      if (std::find(offered.begin(), offered.end(), label) == offered.end())
        throw Error("genotype layer " + std::to_string(layer) + "." + kind,
                    "'" + label + "' is not offered by this space (space." + key_name + "); " + accepted_list(label, offered));
      choices.push_back(Choice{decision_key(layer, kind), 0, label});
    };
    add(kAttention, gene.attention, options_.attentions, "attentions");
    add(kAggregator, gene.aggregator, options_.aggregators, "aggregators");
    add(kActivation, gene.activation, options_.activations, "activations");
    add(kHeads, std::to_string(gene.heads), options_.heads, "heads");
    if (layer + 1 < genotype.layers.size()) add(kUnits, std::to_string(gene.units), options_.units, "units");
  }
  return replay(choices);
}

std::vector<std::string> AutognnSpace::named_architectures() const { return {"gat", "graphnas-cora"}; }

Architecture AutognnSpace::named(const std::string& arch_name) const {
  if (arch_name == "gat") return from_genotype(Json("gat sum elu 8x8 | gat sum linear 1xC"));
  if (arch_name == "graphnas-cora") return from_genotype(Json("const sum relu6 2x128 | gat sum linear 2xC"));
  return SearchSpace::named(arch_name);
}

AutognnGenotype AutognnSpace::genotype_of(const Architecture& arch) const {
  if (arch.space() != name())
    throw Error(arch.hash(), "architecture of space '" + arch.space() + "' given to space '" + name() + "'");
  return parse_autognn_genotype(arch.genotype(), "genotype of " + arch.short_form());
}

ModelSummary AutognnSpace::describe(const Architecture& arch, const TaskShape& task) const {
  const std::vector<MessagePassingOptions> layers =
      autognn_layer_options(genotype_of(arch), task.channels, task.classes, options_);
  OpGraph graph;
  OpGraphBuilder builder(graph);
  OpVertexId x = builder.add(shaped_op(FeatureShape{task.channels, 1, 1}), "features", "input", -1, {});
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const MessagePassingOptions& layer = layers[i];
    OpVertex op = shaped_op(FeatureShape{layer.out(), 1, 1});
    op.params = message_passing_parameters(layer);
    op.madds = message_passing_projection_madds(layer);
    const std::string kind = layer.attention + "/" + layer.aggregator + "/" + layer.activation + " " +
                             std::to_string(layer.heads) + "x" + std::to_string(layer.units);
    x = builder.add(op, "layer" + std::to_string(i), kind, -1, {x});
  }
  ModelSummary summary = summarize_op_graph(graph);
  summary.dot = draw_op_graph(graph, [](int) { return std::string(); });
  return summary;
}

std::shared_ptr<Network> AutognnSpace::build(const Architecture& arch, const TaskShape& task) const {
  return std::make_shared<AutognnNetwork>(
      autognn_layer_options(genotype_of(arch), task.channels, task.classes, options_));
}

}  // namespace nas
