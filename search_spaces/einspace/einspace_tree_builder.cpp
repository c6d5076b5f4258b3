#include "search_spaces/einspace/einspace_tree_builder.hpp"

namespace nas::einspace_tree {

Json node(const char* symbol, const std::string& production, std::vector<Json> children) {
  Json json{{"s", symbol}, {"p", production}};
  if (!children.empty()) json["c"] = std::move(children);
  return json;
}

Json op(const std::string& terminal) { return node("M", "computation", {node("C", terminal)}); }

Json seq(std::vector<Json> modules) {
  Json tail = modules.back();
  for (std::size_t i = modules.size() - 1; i-- > 0;) tail = node("M", "sequential", {modules[i], tail});
  return tail;
}

Json route(const std::string& pre, Json inner, const std::string& post) {
  return node("M", "routing", {node("P", pre), std::move(inner), node("R", post)});
}

Json branch(const std::string& split, std::vector<Json> inner, const std::string& join) {
  std::vector<Json> children{node("B", split)};
  for (auto& m : inner) children.push_back(std::move(m));
  children.push_back(node("A", join));
  return node("M", "branching", std::move(children));
}

Json as_root(Json module) {
  module["s"] = "S";
  return module;
}

Json genotype(Json module) { return Json{{"tree", as_root(std::move(module))}}; }

}  // namespace nas::einspace_tree
