#include "search_spaces/vit_resnas/vit_resnas_space.hpp"

#include "search_spaces/vit_resnas/vit_resnas_named.hpp"
#include "search_spaces/vit_resnas/vit_resnas_network.hpp"
#include "search_spaces/vit_resnas/vit_resnas_plan.hpp"
#include "search_spaces/vit_resnas/vit_resnas_summary.hpp"
#include "search_spaces/vit_resnas/vit_resnas_supernet.hpp"

namespace nas {
namespace {

const bool registered = search_space_registry().add("vit_resnas", [](const ConfigNode& section, const TaskShape*) {
  return std::make_unique<VitResnasSpace>(read_vit_resnas_options(section));
});

const char* const kKeep = "keep";
const char* const kSkip = "skip";
const char* const kKeepKind = "keep";

std::vector<std::string> labels(const std::vector<std::int64_t>& values) {
  std::vector<std::string> result;
  for (std::int64_t v : values) result.push_back(std::to_string(v));
  return result;
}

std::string stage_key(std::size_t s) { return "stage" + std::to_string(s + 1); }
std::string block_key(std::size_t s, std::size_t b) { return stage_key(s) + "/block" + std::to_string(b + 1); }

// Asks `policy` one decision and records the choice; returns the option's index.
std::size_t ask(Policy& policy, std::vector<Choice>& choices, const std::string& key, std::vector<std::string> options,
                const std::string& kind) {
  Decision decision{key, std::move(options), {}, kind};
  const std::size_t index = policy.choose(decision);
  if (index >= decision.options.size())
    throw Error(key,
                "the policy chose option " + std::to_string(index) + " of " + std::to_string(decision.options.size()));
  choices.push_back(Choice{key, index, decision.options[index]});
  return index;
}

}  // namespace

VitResnasSpace::VitResnasSpace(VitResnasOptions options) : options_(std::move(options)) {}

std::vector<DecisionKind> VitResnasSpace::decision_kinds() const {
  std::vector<DecisionKind> kinds;
  for (std::size_t s = 0; s < options_.stages.size(); ++s) {
    const VitResnasStageOptions& stage = options_.stages[s];
    kinds.push_back(DecisionKind{stage_key(s) + "/embed", labels(stage.embed)});
    kinds.push_back(DecisionKind{stage_key(s) + "/heads", labels(stage.heads)});
    kinds.push_back(DecisionKind{stage_key(s) + "/mlp", labels(stage.mlp)});
  }
  kinds.push_back(DecisionKind{kKeepKind, {kKeep, kSkip}});
  return kinds;
}

std::pair<std::vector<Choice>, VitResnasGenotype> VitResnasSpace::walk(Policy& policy) const {
  std::vector<Choice> choices;
  VitResnasGenotype genotype;
  for (std::size_t s = 0; s < options_.stages.size(); ++s) {
    const VitResnasStageOptions& stage = options_.stages[s];
    VitResnasStageGenotype chosen;
    chosen.embed =
        stage.embed[ask(policy, choices, stage_key(s) + "/embed", labels(stage.embed), stage_key(s) + "/embed")];
    for (std::size_t b = 0; b < stage.blocks(); ++b) {
      const std::string key = block_key(s, b);
      VitResnasBlockGenotype block;
      block.heads = stage.heads[ask(policy, choices, key + "/heads", labels(stage.heads), stage_key(s) + "/heads")];
      block.mlp = stage.mlp[ask(policy, choices, key + "/mlp", labels(stage.mlp), stage_key(s) + "/mlp")];
      if (stage.skippable[b]) block.keep = ask(policy, choices, key + "/keep", {kKeep, kSkip}, kKeepKind) == 0;
      chosen.blocks.push_back(block);
    }
    genotype.stages.push_back(std::move(chosen));
  }
  return {std::move(choices), std::move(genotype)};
}

Architecture VitResnasSpace::sample(Policy& policy) const {
  auto [choices, genotype] = walk(policy);
  return Architecture(name(), std::move(choices), vit_resnas_genotype_json(genotype), vit_resnas_short_form(genotype));
}

Architecture VitResnasSpace::mutate(const Architecture& parent, Rng& rng) const {
  // Re-drawing a skipped block's heads or MLP gives the same network; retry until it changes.
  return mutate_one_decision(parent, rng, 256, true);
}

VitResnasGenotype VitResnasSpace::genotype_of(const Architecture& arch) const {
  if (arch.space() != name())
    throw Error(arch.hash(), "architecture of space '" + arch.space() + "' given to space '" + name() + "'");
  ReplayPolicy policy(arch.choices());
  VitResnasGenotype genotype;
  try {
    genotype = walk(policy).second;
  } catch (const Error& e) {
    throw Error(arch.hash(), std::string("not an architecture of this ViT-ResNAS space (preset ") + options_.preset +
                                 "): " + e.what());
  }
  if (!policy.finished())
    throw Error(arch.hash(),
                "the architecture has more choices than this ViT-ResNAS space (preset " + options_.preset + ") asks");
  return genotype;
}

Architecture VitResnasSpace::architecture_of(const VitResnasGenotype& genotype) const {
  std::vector<Choice> choices;
  for (std::size_t s = 0; s < genotype.stages.size(); ++s) {
    const VitResnasStageGenotype& stage = genotype.stages[s];
    choices.push_back(Choice{stage_key(s) + "/embed", 0, std::to_string(stage.embed)});
    for (std::size_t b = 0; b < stage.blocks.size(); ++b) {
      const VitResnasBlockGenotype& block = stage.blocks[b];
      const std::string key = block_key(s, b);
      choices.push_back(Choice{key + "/heads", 0, std::to_string(block.heads)});
      choices.push_back(Choice{key + "/mlp", 0, std::to_string(block.mlp)});
      if (s < options_.stages.size() && b < options_.stages[s].blocks() && options_.stages[s].skippable[b])
        choices.push_back(Choice{key + "/keep", 0, block.keep ? kKeep : kSkip});
    }
  }
  return replay(choices);
}

Architecture VitResnasSpace::from_genotype(const Json& genotype) const {
  return architecture_of(parse_vit_resnas_genotype(genotype, options_));
}

std::vector<std::string> VitResnasSpace::named_architectures() const {
  return vit_resnas_named_architectures(options_);
}

Architecture VitResnasSpace::named(const std::string& arch_name) const {
  return architecture_of(vit_resnas_named_genotype(arch_name, options_));
}

ModelSummary VitResnasSpace::describe(const Architecture& arch, const TaskShape& task) const {
  return summarize_vit_resnas(make_vit_resnas_plan(genotype_of(arch), options_, task));
}

std::shared_ptr<Network> VitResnasSpace::build(const Architecture& arch, const TaskShape& task) const {
  return std::make_shared<VitResnasNetwork>(make_vit_resnas_plan(genotype_of(arch), options_, task));
}

std::shared_ptr<Supernet> VitResnasSpace::build_supernet(const TaskShape& task) const {
  return std::make_shared<VitResnasSupernet>(options_, task);
}

}  // namespace nas
