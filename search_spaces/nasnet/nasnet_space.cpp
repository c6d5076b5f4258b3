#include "search_spaces/nasnet/nasnet_space.hpp"

#include "search_spaces/nasnet/nasnet_a.hpp"
#include "search_spaces/nasnet/nasnet_canonical.hpp"
#include "search_spaces/nasnet/nasnet_network.hpp"
#include "search_spaces/nasnet/nasnet_op_graph.hpp"
#include "search_spaces/nasnet/nasnet_plan.hpp"

namespace nas {
namespace {

const bool registered = search_space_registry().add("nasnet", [](const ConfigNode& section, const TaskShape*) {
  return std::make_unique<NasnetSpace>(read_nasnet_options(section));
});

std::string decision_prefix(int kind, std::size_t block) {
  return nasnet_cell_names()[kind] + "/b" + std::to_string(block) + "/";
}

// Decision kinds: the later a block, the more hidden states it may read, so an "input" decision
// offers a prefix of the last block's states and a learned policy masks the rest.
constexpr const char* kInputKind = "input";
constexpr const char* kOpKind = "op";
constexpr const char* kCombineKind = "combine";

}  // namespace

NasnetSpace::NasnetSpace(NasnetOptions options) : options_(std::move(options)) {}

std::vector<DecisionKind> NasnetSpace::decision_kinds() const {
  return {DecisionKind{kInputKind, nasnet_input_options(options_.blocks - 1)},
          DecisionKind{kOpKind, options_.ops}, DecisionKind{kCombineKind, options_.combines}};
}

Architecture NasnetSpace::sample(Policy& policy) const {
  std::vector<Choice> choices;
  auto ask = [&](const std::string& key, const std::vector<std::string>& options,
                 const char* kind) -> const std::string& {
    const std::size_t index = policy.choose(Decision{key, options, {}, kind});
    if (index >= options.size())
      throw Error(key, "the policy chose option " + std::to_string(index) + " of " + std::to_string(options.size()));
    choices.push_back(Choice{key, index, options[index]});
    return options[index];
  };

  NasnetGenotype genotype;
  for (int kind : {kNormalCell, kReductionCell}) {
    NasnetCellGenotype& cell = genotype.cells[kind];
    for (std::size_t b = 0; b < static_cast<std::size_t>(options_.blocks); ++b) {
      const std::string prefix = decision_prefix(kind, b);
      const auto inputs = nasnet_input_options(static_cast<int>(b));
      NasnetBlock block;
      block.inputs[0] = std::stoi(ask(prefix + "input_a", inputs, kInputKind).substr(1));
      block.inputs[1] = std::stoi(ask(prefix + "input_b", inputs, kInputKind).substr(1));
      block.ops[0] = ask(prefix + "op_a", options_.ops, kOpKind);
      block.ops[1] = ask(prefix + "op_b", options_.ops, kOpKind);
      block.combine = ask(prefix + "combine", options_.combines, kCombineKind);
      cell.blocks.push_back(block);
    }
    cell.concat = nasnet_unused_states(cell.blocks);
  }
  return make_architecture(std::move(choices), genotype);
}

Architecture NasnetSpace::make_architecture(std::vector<Choice> choices, const NasnetGenotype& genotype) const {
  return Architecture(name(), std::move(choices), nasnet_genotype_json(genotype), nasnet_canonical(genotype));
}

Architecture NasnetSpace::from_genotype(const Json& json) const {
  const NasnetGenotype genotype = parse_nasnet_genotype(json, options_);
  std::vector<Choice> choices;
  for (int kind : {kNormalCell, kReductionCell}) {
    const auto& blocks = genotype.cells[kind].blocks;
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      const std::string prefix = decision_prefix(kind, b);
      choices.push_back(Choice{prefix + "input_a", 0, nasnet_state_name(blocks[b].inputs[0])});
      choices.push_back(Choice{prefix + "input_b", 0, nasnet_state_name(blocks[b].inputs[1])});
      choices.push_back(Choice{prefix + "op_a", 0, blocks[b].ops[0]});
      choices.push_back(Choice{prefix + "op_b", 0, blocks[b].ops[1]});
      choices.push_back(Choice{prefix + "combine", 0, blocks[b].combine});
    }
  }
  Architecture sampled = replay(choices);
  // The choices cannot express a fixed output concat (NASNet-A's masks); only the genotype carries it.
  const bool default_outputs =
      genotype.cells[kNormalCell].concat == nasnet_unused_states(genotype.cells[kNormalCell].blocks) &&
      genotype.cells[kReductionCell].concat == nasnet_unused_states(genotype.cells[kReductionCell].blocks);
  if (default_outputs) return sampled;
  return make_architecture(sampled.choices(), genotype);
}

std::vector<std::string> NasnetSpace::named_architectures() const { return {"nasnet-a"}; }

Architecture NasnetSpace::named(const std::string& arch_name) const {
  if (arch_name != "nasnet-a") return SearchSpace::named(arch_name);
  try {
    return from_genotype(nasnet_a_genotype());
  } catch (const Error& error) {
    throw Error("--arch", "nasnet-a does not fit this space's options (it needs blocks: 5, the ops sep_conv_3x3, "
                          "sep_conv_5x5, sep_conv_7x7, avg_pool_3x3, max_pool_3x3, identity and the add combine): " +
                              std::string(error.what()));
  }
}

NasnetGenotype NasnetSpace::genotype_of(const Architecture& arch) const {
  if (arch.space() != name())
    throw Error(arch.hash(), "architecture of space '" + arch.space() + "' given to space '" + name() + "'");
  return parse_nasnet_genotype(arch.genotype(), options_);
}

ModelSummary NasnetSpace::describe(const Architecture& arch, const TaskShape& task) const {
  const NasnetPlan plan = make_nasnet_plan(genotype_of(arch), options_, task);
  return summarize_nasnet_op_graph(make_nasnet_op_graph(plan), plan);
}

std::shared_ptr<Network> NasnetSpace::build(const Architecture& arch, const TaskShape& task) const {
  return std::make_shared<NasnetNetwork>(make_nasnet_plan(genotype_of(arch), options_, task));
}

}  // namespace nas
