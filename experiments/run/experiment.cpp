#include "experiments/run/experiment.hpp"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/yaml_json.hpp"
#include "evaluators/evaluation/evaluator_registry.hpp"
#include "search_spaces/constrained_space.hpp"

namespace nas {

Experiment load_experiment(const std::string& text, const std::string& file,
                           const std::vector<std::string>& overrides, const std::string& directory) {
  const ConfigNode root = ConfigNode::parse(text, file, overrides, directory);
  Experiment experiment;
  ExperimentConfig& config = experiment.config;
  config.file = file;
  config.text = text;

  config.name = root.string("name", "");
  if (config.name.empty()) throw root.error("name", "missing required key 'name' (names the run directory)");
  for (char c : config.name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      throw root.error("name", "may hold letters, digits, '-', '_' and '.' only (it names the run directory), got '" +
                                   config.name + "'");
  config.seed = static_cast<std::uint64_t>(root.integer("seed", 0, 0));
  const ConfigNode budget = root.section("budget");
  config.budget.trials = budget.integer("trials", Budget{}.trials, 1);
  config.budget.hours = budget.number("hours", 0, 0);
  config.budget.train_seconds = budget.number("train_seconds", 0, 0);
  budget.finish();
  config.reevaluation = read_reevaluation_plan(root);
  config.retrain = read_retrain_plan(root);
  const ConfigNode dataset = root.section("dataset");
  const ConfigNode space = root.section("space");
  const ConfigNode controller = root.section("controller");
  const ConfigNode evaluator = root.section("evaluator");
  const ConfigNode supernet = root.section("supernet");
  const ConfigNode constraints_section = root.section("constraints");
  const ConfigNode runner_section = root.section("runner");
  // Unknown top-level keys first: a misspelt section would otherwise surface as missing keys below.
  root.finish();

  // The task, where known without loading data, for spaces whose decisions depend on it and for the
  // constraints.
  const std::optional<TaskShape> task = known_task(dataset, evaluator);
  experiment.space = make_search_space(space, task ? &*task : nullptr);
  // The evaluator gets the space itself (the tabular one reads cells off it); the controller gets it
  // restricted to the constraints, so that it proposes nothing outside them.
  const SearchSpace* evaluated = experiment.space.get();
  const Constraints constraints = read_constraints(constraints_section);
  if (constraints.any()) {
    if (!task)
      throw root.error("constraints", "limits the networks built for the data searched, so it needs a dataset "
                                      "(dataset.name) or an evaluator with a fixed task");
    auto constrained = std::make_unique<ConstrainedSpace>(std::move(experiment.space), constraints, *task);
    evaluated = &constrained->inner();
    experiment.space = std::move(constrained);
  }
  experiment.controller = make_controller(controller, *experiment.space, config.seed);
  config.runner = read_runner_options(evaluator);
  read_runner_section(runner_section, config.runner);
  config.keep_weights = static_cast<int>(evaluator.integer("keep_weights", ExperimentConfig{}.keep_weights, 0));
  experiment.evaluator = make_evaluator(EvaluatorSections{dataset, evaluator, supernet}, *evaluated, config.seed);
  evaluator.finish();
  config.trains_supernet = experiment.evaluator->pretrains_shared_weights();
  // A re-evaluation trains its repeats with the run's evaluator and no shared weights; an evaluator that
  // only scores with a supernet's weights would fail every one of them.
  if (config.trains_supernet && config.reevaluation)
    throw root.error("reevaluate", "retrains trials with the run's evaluator, and the " +
                                       evaluator.string("name", kDefaultEvaluator) +
                                       " evaluator only scores with a supernet's weights; to train the best "
                                       "sub-networks from scratch use a retrain: section");
  if (root.has("supernet") && !config.trains_supernet)
    throw root.error("supernet", "is read by an evaluator that scores sub-networks with a supernet's weights "
                                 "(evaluator.name: inherited); the " +
                                     evaluator.string("name", kDefaultEvaluator) +
                                     " evaluator trains or looks up each candidate itself");
  // The re-evaluation replaces evaluator keys only after the search; one this evaluator does not take
  // (a lookup table has no time limit) must be refused now, before any trial, not an hour later.
  if (config.reevaluation)
    for (const auto& replaced : evaluator_overrides(*config.reevaluation))
      if (!evaluator.was_read(replaced.first))
        throw root.section("reevaluate")
            .error(replaced.first, "the " + evaluator.string("name", kDefaultEvaluator) + " evaluator has no " +
                                       replaced.first + " to replace; leave the key out");
  // Taken last: the readers of paths have written them back resolved (ConfigNode::path).
  config.effective = yaml_to_json(root.yaml());
  // YAML reads a name such as 1e30, .inf or .nan as a number; the log keeps the text the run used, so
  // that a resume reads back the same name.
  config.effective["name"] = config.name;
  return experiment;
}

Experiment load_logged_experiment(const Json& effective, const std::string& log_path,
                                  const std::vector<std::string>& overrides) {
  // JSON is YAML, so the configuration is read exactly as an experiment file is, keys checked again.
  return load_experiment(effective.dump(2), log_path + " (experiment)", overrides);
}

Experiment load_experiment_file(const std::string& path, const std::vector<std::string>& overrides) {
  // An experiment file is a few kilobytes; a device (/dev/zero), a folder or a huge file is refused
  // before any of it is read.
  constexpr std::uintmax_t kMaxExperimentBytes = 1u << 20;
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) throw Error(path, "no such experiment file");
  if (std::filesystem::is_directory(status)) throw Error(path, "is a directory; give the experiment file (.yaml) in it");
  if (!std::filesystem::is_regular_file(status)) throw Error(path, "is not a regular file (a device or a pipe?)");
  const auto size = std::filesystem::file_size(path, error);
  if (error || size > kMaxExperimentBytes)
    throw Error(path, "holds " + std::to_string(size) + " bytes; an experiment file may hold at most " +
                          std::to_string(kMaxExperimentBytes));
  std::ifstream in(path);
  if (!in) throw Error(path, "cannot read the experiment file");
  std::stringstream text;
  text << in.rdbuf();
  return load_experiment(text.str(), path, overrides, std::filesystem::absolute(path).parent_path().string());
}

}  // namespace nas
