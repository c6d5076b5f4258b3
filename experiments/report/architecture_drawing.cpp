#include "experiments/report/architecture_drawing.hpp"

#include <optional>

#include "core/config_node.hpp"
#include "evaluators/evaluation/evaluator_registry.hpp"
#include "experiments/log/logged_architecture.hpp"
#include "experiments/report/graphviz.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {
namespace {

// The space section of the effective configuration, read as the experiment file's would be. JSON is
// YAML, so the section travels as text and the space checks its own keys as it does for `nas run`.
TaskShape task_of(const Json& experiment, const std::string& log_path);

std::unique_ptr<SearchSpace> space_of(const Json& experiment, const std::string& log_path) {
  if (!experiment.contains("space") || !experiment["space"].is_object())
    throw Error(log_path, "the run's configuration has no 'space' section to rebuild architectures from");
  const TaskShape task = task_of(experiment, log_path);
  const ConfigNode root = ConfigNode::parse("space: " + experiment["space"].dump(), log_path);
  return make_search_space(root.section("space"), &task);
}

TaskShape task_of(const Json& experiment, const std::string& log_path) {
  // Read as the experiment file's sections would be (JSON is YAML), by the rule `nas run` follows.
  Json sections = Json::object();
  for (const char* name : {"dataset", "evaluator"})
    if (experiment.contains(name) && experiment[name].is_object()) sections[name] = experiment[name];
  const ConfigNode root = ConfigNode::parse(sections.dump(), log_path);
  if (std::optional<TaskShape> task = known_task(root.section("dataset"), root.section("evaluator"))) return *task;
  const Json& dataset = experiment.value("dataset", Json::object());
  if (!dataset.is_object() || !dataset.value("name", Json()).is_string())
    throw Error(log_path, "the run's configuration names no dataset, whose shape the drawing needs");
  throw Error(log_path, "the shape of dataset '" + dataset["name"].get<std::string>() + "' is not known without loading it");
}

}  // namespace

ArchitectureDrawer::ArchitectureDrawer(const Json& experiment, const std::string& log_path)
    : log_path_(log_path),
      space_(space_of(experiment, log_path)),
      task_(task_of(experiment, log_path)) {}

ArchitectureDrawer::~ArchitectureDrawer() = default;
ArchitectureDrawer::ArchitectureDrawer(ArchitectureDrawer&&) noexcept = default;
ArchitectureDrawer& ArchitectureDrawer::operator=(ArchitectureDrawer&&) noexcept = default;

std::string ArchitectureDrawer::draw(const TrialRow& trial, const std::string& id_prefix) const {
  const Architecture arch = rebuild_logged_architecture(trial, *space_, log_path_);
  return dot_to_svg(space_->describe(arch, task_).dot, id_prefix);
}

}  // namespace nas
