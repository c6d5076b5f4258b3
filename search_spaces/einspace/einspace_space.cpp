#include "search_spaces/einspace/einspace_space.hpp"

#include <sstream>

#include "core/json_kind.hpp"
#include "grammar/deriver.hpp"
#include "grammar/tree_json.hpp"
#include "search_spaces/einspace/einspace_network.hpp"
#include "search_spaces/einspace/einspace_notation.hpp"
#include "search_spaces/einspace/einspace_seeds.hpp"

namespace nas {
namespace {

using EinDeriver = grammar::Deriver<EinSemantics>;

// A derivation that fails as a whole (too large, or its root has no option left) is started again:
// the official code restarts the same way. Beyond this many restarts the options leave no room.
constexpr int kMaxRestarts = 1000;
// Mutation draws a node and regrows it; a draw that breaks the rest of the tree is drawn again.
constexpr int kMaxMutationAttempts = 200;

std::unique_ptr<SearchSpace> make_einspace(const ConfigNode& section, const TaskShape* task) {
  EinspaceOptions options = read_einspace_options(section);
  if (task) {
    const EinShape data = EinShape::image(task->channels, task->height, task->width);
    if (options.input.is_set() && options.input != data)
      throw section.error("input_shape", "is " + options.input.text() + ", but the data's examples are " + data.text() +
                                             "; leave it out to use the data's shape");
    options.input = data;
  }
  if (!options.input.is_set())
    throw section.error("input_shape",
                        "einspace derives architectures for one input shape, and this experiment's data does not "
                        "say it without loading: give space.input_shape, e.g. 1x28x28");
  return std::make_unique<EinspaceSpace>(options, task ? task->classes : 10);
}

const bool registered = search_space_registry().add("einspace", make_einspace);

}  // namespace

EinspaceSpace::EinspaceSpace(EinspaceOptions options, std::int64_t classes)
    : options_(std::move(options)), classes_(classes), grammar_(options_), semantics_(grammar_, options_) {}

EinContext EinspaceSpace::root_context() const {
  EinContext context;
  context.input = options_.input;
  return context;
}

std::vector<DecisionKind> EinspaceSpace::decision_kinds() const { return grammar_.decisions().kinds(); }

bool EinspaceSpace::within_caps(const EinNode& root) const {
  // The head (a linear layer to the classes) counts towards the parameter cap too.
  const std::int64_t head = root.result.output.dims[0] * classes_ + classes_;
  return root.result.params + head <= options_.max_params;
}

Architecture EinspaceSpace::sample(Policy& policy) const {
  const grammar::DerivationLimits limits{options_.max_depth, static_cast<std::size_t>(options_.max_nodes), false};
  for (int attempt = 0; attempt < kMaxRestarts; ++attempt) {
    EinDeriver deriver(grammar_.grammar(), grammar_.decisions(), semantics_, limits);
    try {
      auto root = deriver.derive(grammar_.symbols().s, root_context(), 0, policy);
      if (root && within_caps(*root)) return make_architecture(*root);
    } catch (const grammar::TreeTooLarge&) {
    }
  }
  throw Error("einspace", "no architecture within the caps (space.max_nodes " + std::to_string(options_.max_nodes) +
                              ", max_params " + std::to_string(options_.max_params) + ") in " +
                              std::to_string(kMaxRestarts) + " derivations from input " + options_.input.text());
}

Architecture EinspaceSpace::replay(const std::vector<Choice>& choices) const {
  // A recorded tree replays in one derivation; it may hold the seeds' weight-0 terminals.
  ReplayPolicy policy(choices);
  grammar::DerivationLimits limits{1 << 30, static_cast<std::size_t>(-1), true};
  EinDeriver deriver(grammar_.grammar(), grammar_.decisions(), semantics_, limits);
  auto root = deriver.derive(grammar_.symbols().s, root_context(), 0, policy);
  if (!root || !policy.finished())
    throw Error(name(), "the recorded choices do not derive an architecture for input " + options_.input.text());
  return make_architecture(*root);
}

Architecture EinspaceSpace::mutate(const Architecture& parent, Rng& rng) const {
  const std::unique_ptr<EinNode> tree = tree_of(parent);
  const std::size_t nodes = grammar::tree_size(*tree);
  const grammar::DerivationLimits limits{options_.max_depth, static_cast<std::size_t>(options_.max_nodes), false};
  for (int attempt = 0; attempt < kMaxMutationAttempts; ++attempt) {
    RandomPolicy policy(rng);
    EinDeriver deriver(grammar_.grammar(), grammar_.decisions(), semantics_, limits);
    try {
      auto child = deriver.regrow(*tree, rng.index(nodes), root_context(), policy);
      if (child && within_caps(*child)) return make_architecture(*child);
    } catch (const grammar::TreeTooLarge&) {
    }
  }
  throw Error(name(), "no mutation of architecture " + parent.hash() + " fits the space in " +
                          std::to_string(kMaxMutationAttempts) + " attempts");
}

Architecture EinspaceSpace::make_architecture(const EinNode& root) const {
  const std::string notation = einspace_notation(grammar_, root);
  Json genotype{{"tree", grammar::tree_to_json(grammar_.grammar(), root)}, {"short", notation}};
  return Architecture(name(), grammar::tree_choices(grammar_.grammar(), root), std::move(genotype), notation);
}

std::unique_ptr<EinNode> EinspaceSpace::read_tree(const Json& tree, const std::string& where) const {
  auto root = grammar::tree_from_json<EinNode>(grammar_.grammar(), tree, where);
  if (root->symbol != grammar_.symbols().s) throw Error(where, "the root of an einspace tree is an S node");
  grammar::DerivationLimits limits;
  EinDeriver deriver(grammar_.grammar(), grammar_.decisions(), semantics_, limits);
  std::string failed_at;
  if (!deriver.reinfer(*root, root_context(), 0, &failed_at))
    throw Error(where + failed_at, "does not fit here, in a tree for input " + options_.input.text() +
                                       " (its shapes do not match, or it exceeds space.max_params or "
                                       "max_feature_elements)");
  return root;
}

Architecture EinspaceSpace::from_genotype(const Json& genotype) const {
  if (!genotype.is_object()) throw Error("genotype", "expected {\"tree\": {...}}, got " + json_kind(genotype));
  const Json& tree = genotype.contains("tree") ? genotype.at("tree") : genotype;
  auto root = read_tree(tree, "genotype.tree");
  if (!within_caps(*root)) throw Error("genotype", "the architecture has more parameters than space.max_params");
  return make_architecture(*root);
}

std::unique_ptr<EinNode> EinspaceSpace::tree_of(const Architecture& arch) const {
  if (arch.space() != name())
    throw Error(arch.hash(), "architecture of space '" + arch.space() + "' given to space '" + name() + "'");
  return read_tree(arch.genotype().at("tree"), "architecture " + arch.hash());
}

std::vector<std::string> EinspaceSpace::named_architectures() const { return einspace_seed_names(); }

Architecture EinspaceSpace::named(const std::string& arch_name) const {
  return from_genotype(Json{{"tree", einspace_seed(arch_name)}});
}

EinProgram EinspaceSpace::program_of(const Architecture& arch, const TaskShape& task) const {
  const EinShape data = EinShape::image(task.channels, task.height, task.width);
  if (data != options_.input)
    throw Error(arch.hash(), "this einspace architecture was derived for input " + options_.input.text() +
                                 ", not " + data.text());
  return compile_einspace(grammar_, *tree_of(arch), task.classes);
}

ModelSummary EinspaceSpace::describe(const Architecture& arch, const TaskShape& task) const {
  const EinProgram program = program_of(arch, task);
  ModelSummary summary;
  summary.params = program.params;
  summary.madds = program.madds;
  std::ostringstream dot;
  dot << "digraph einspace {\n  rankdir=TB;\n  node [shape=box, fontsize=10];\n  t0 [label=\"input "
      << program.input.text() << "\", shape=ellipse];\n";
  std::vector<std::string> producer(program.tensors, "t0");  // the node that makes each tensor
  for (std::size_t i = 0; i < program.steps.size(); ++i) {
    const EinStep& step = program.steps[i];
    const std::string layer = std::to_string(i) + ":" + step.name();
    summary.layers.push_back(LayerSummary{layer, step.name(), step.output_shape.text(), step.params, step.madds});
    dot << "  s" << i << " [label=\"" << step.name() << "\\n" << step.output_shape.text() << "\"];\n";
    for (int input : step.inputs) dot << "  " << producer[input] << " -> s" << i << ";\n";
    for (int output : step.outputs) producer[output] = "s" + std::to_string(i);
  }
  dot << "}\n";
  summary.dot = dot.str();
  return summary;
}

std::shared_ptr<Network> EinspaceSpace::build(const Architecture& arch, const TaskShape& task) const {
  return std::make_shared<EinspaceNetwork>(program_of(arch, task));
}

}  // namespace nas
