#pragma once
// An einspace space for tests, made as an experiment file's `space:` section makes it.
#include <memory>
#include <string>

#include "core/config_node.hpp"
#include "search_spaces/einspace/einspace_space.hpp"

namespace nas::testing {

inline std::unique_ptr<EinspaceSpace> make_einspace(const TaskShape& task, const std::string& options = "") {
  const ConfigNode root = ConfigNode::parse("space:\n  name: einspace\n" + options, "test.yaml");
  auto space = make_search_space(root.section("space"), &task);
  return std::unique_ptr<EinspaceSpace>(static_cast<EinspaceSpace*>(space.release()));
}

inline TaskShape task(std::int64_t c, std::int64_t h, std::int64_t w, std::int64_t classes = 10) {
  return TaskShape{c, h, w, classes};
}

}  // namespace nas::testing
