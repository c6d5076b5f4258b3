// `nas space describe|sample`: look at a search space without running a search.
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "core/bounded_json.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {
namespace {

const std::vector<FlagSpec> kCommonFlags = {
    {"--input", true, "CxHxW of one example (default 1x28x28)"},
    {"--classes", true, "number of classes (default 10)"},
    {"--set", true, "space.key=value, a space option"},
    {"--json", false, "machine-readable output"},
    {"--seed", true, "random seed (default 0)"},
};

std::vector<FlagSpec> with_common(std::vector<FlagSpec> flags) {
  flags.insert(flags.end(), kCommonFlags.begin(), kCommonFlags.end());
  return flags;
}

TaskShape task_from_arguments(const Arguments& args) {
  return parse_input_shape(args.value("--input", "1x28x28"), args.integer("--classes", 10, 2), "--input/--classes");
}

// The space named on the command line, with its options from --set space.key=value, for the task of
// --input/--classes.
std::unique_ptr<SearchSpace> space_from_arguments(const std::string& name, const Arguments& args) {
  std::vector<std::string> overrides;
  for (const auto& assignment : args.all("--set")) {
    if (assignment.rfind("space.", 0) != 0)
      throw Error("--set " + assignment, "only space options can be set here (space.key=value)");
    overrides.push_back(assignment);
  }
  overrides.push_back("space.name=" + name);
  const ConfigNode root = ConfigNode::parse("", "command line", overrides);
  const TaskShape task = task_from_arguments(args);
  auto space = make_search_space(root.section("space"), &task);
  root.finish();
  return space;
}


Json summary_json(const Architecture& arch, const ModelSummary& summary, bool with_layers) {
  Json json = arch.to_json();
  json["short"] = arch.short_form();
  json["params"] = summary.params;
  json["madds"] = summary.madds;
  if (with_layers) {
    Json layers = Json::array();
    for (const auto& layer : summary.layers)
      layers.push_back(Json{{"name", layer.name}, {"kind", layer.kind}, {"output_shape", layer.output_shape},
                            {"params", layer.params}, {"madds", layer.madds}});
    json["layers"] = layers;
  }
  return json;
}

std::string with_thousands(std::int64_t value) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

int describe(const std::vector<std::string>& raw) {
  const Arguments args(raw, with_common({{"--arch", true, "a named architecture"},
                                         {"--genotype", true, "a genotype JSON file"},
                                         {"--dot", false, "print the Graphviz drawing"}}),
                       "space describe");
  const auto space = space_from_arguments(args.single_positional("SPACE"), args);
  const TaskShape task = task_from_arguments(args);
  Architecture arch;
  if (args.has("--arch") && args.has("--genotype")) throw Error("nas space describe", "give --arch or --genotype, not both");
  if (args.has("--arch")) {
    arch = space->named(args.value("--arch"));
  } else if (args.has("--genotype")) {
    Json genotype = read_json_file(args.value("--genotype"));
    // A file written by `nas space sample --json` or `nas inspect --json` holds the genotype inside.
    if (genotype.contains("genotype")) genotype = genotype["genotype"];
    arch = space->from_genotype(genotype);
  } else {
    Rng rng(static_cast<std::uint64_t>(args.integer("--seed", 0, 0)));
    RandomPolicy policy(rng);
    arch = space->sample(policy);
  }
  const ModelSummary summary = space->describe(arch, task);
  if (args.has("--dot")) {
    std::cout << summary.dot;
    return 0;
  }
  if (args.has("--json")) {
    Json json = summary_json(arch, summary, true);
    json["weight_sharing"] = space->offers_supernet() ? "supernet" : "none";
    std::cout << json.dump(2) << "\n";
    return 0;
  }
  std::cout << "space: " << space->name() << "   input " << task.channels << "x" << task.height << "x" << task.width
            << ", " << task.classes << " classes\n"
            << "architecture: " << arch.short_form() << "\n"
            << "hash: " << arch.hash() << "\n"
            << "parameters: " << with_thousands(summary.params) << " ("
            << std::fixed << std::setprecision(2) << summary.params / 1e6 << "M)\n"
            << "multiply-adds: " << with_thousands(summary.madds) << " (" << summary.madds / 1e6 << "M per example)\n"
            << "weight sharing: "
            << (space->offers_supernet()
                    ? "supernet (evaluator.name: inherited, trained as the supernet: section says; "
                      "experiments/README.md lists its keys and defaults)"
                    : "none (no supernet: each candidate is trained on its own)")
            << "\n"
            << "layers: " << summary.layers.size() << "\n";
  // Columns as wide as their longest entry: kinds such as "transformer 6x8 heads, mlp 64" vary a lot.
  std::size_t kind_width = 4;
  for (const auto& layer : summary.layers) kind_width = std::max(kind_width, layer.kind.size());
  const int kind_column = static_cast<int>(kind_width) + 2;
  std::cout << std::left << std::setw(52) << "  name" << std::setw(kind_column) << "kind" << std::setw(12) << "output"
            << std::right << std::setw(12) << "params" << std::setw(14) << "madds" << "\n";
  for (const auto& layer : summary.layers)
    std::cout << "  " << std::left << std::setw(50) << layer.name << std::setw(kind_column) << layer.kind
              << std::setw(12) << layer.output_shape << std::right << std::setw(12) << with_thousands(layer.params)
              << std::setw(14) << with_thousands(layer.madds) << "\n";
  return 0;
}

int sample(const std::vector<std::string>& raw) {
  const Arguments args(raw, with_common({{"--n", true, "how many architectures (default 1)"}}), "space sample");
  const auto space = space_from_arguments(args.single_positional("SPACE"), args);
  const TaskShape task = task_from_arguments(args);
  Rng rng(static_cast<std::uint64_t>(args.integer("--seed", 0, 0)));
  const long long count = args.integer("--n", 1, 1);
  Json all = Json::array();
  for (long long i = 0; i < count; ++i) {
    RandomPolicy policy(rng);
    const Architecture arch = space->sample(policy);
    const ModelSummary summary = space->describe(arch, task);
    if (args.has("--json")) {
      all.push_back(summary_json(arch, summary, false));
    } else {
      std::cout << arch.hash() << "  params " << std::setw(10) << with_thousands(summary.params) << "  madds "
                << std::setw(12) << with_thousands(summary.madds) << "  " << arch.short_form() << "\n";
    }
  }
  if (args.has("--json")) std::cout << all.dump(2) << "\n";
  return 0;
}

int space_command(const std::vector<std::string>& args) {
  if (args.empty()) throw Error("nas space", "expected a verb: describe or sample");
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "describe") return describe(rest);
  if (args[0] == "sample") return sample(rest);
  throw Error("nas space", "unknown verb '" + args[0] + "'; accepted: describe, sample");
}

const bool registered = command_registry().add(
    "space", Command{"nas space describe SPACE [--arch NAME|--genotype FILE] [--input CxHxW] [--classes K] "
                     "[--set space.key=value] [--json] [--dot]\n  nas space sample SPACE --n N --seed S [--json]",
                     "print an architecture's parameters, multiply-adds and layers; print sampled architectures",
                     space_command});

}  // namespace
}  // namespace nas
