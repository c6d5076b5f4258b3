#pragma once
// Draws architectures recorded in a search log, as SVG, from the log alone: the run's search space
// and task shape are rebuilt from its effective configuration, no dataset is loaded.
#include <memory>
#include <string>

#include "core/json.hpp"
#include "experiments/log/search_log.hpp"
#include "search_spaces/task.hpp"

namespace nas {

class SearchSpace;

class ArchitectureDrawer {
 public:
  // `experiment` is RunInfo::experiment_json; `log_path` names the log in messages. Throws nas::Error
  // when the configuration names no usable space or a dataset whose shape is not registered.
  ArchitectureDrawer(const Json& experiment, const std::string& log_path);
  ~ArchitectureDrawer();
  ArchitectureDrawer(ArchitectureDrawer&&) noexcept;
  ArchitectureDrawer& operator=(ArchitectureDrawer&&) noexcept;

  // The architecture of `trial` as an inline <svg> element whose ids start with `id_prefix`. Throws
  // nas::Error when the space no longer rebuilds it, or Graphviz is missing or fails.
  std::string draw(const TrialRow& trial, const std::string& id_prefix) const;

 private:
  std::string log_path_;
  std::unique_ptr<SearchSpace> space_;
  TaskShape task_;
};

}  // namespace nas
