#pragma once
// A derivation tree as JSON, without its contexts (they are inferred again when read):
//   {"s": symbol, "p": production label, "c": [children...]}   ("c" absent for a terminal)
// Reading checks symbols, labels and that the children derive the production's right-hand side in
// order (a symbol may repeat, as the semantics' instances allow); contexts and results are left for
// Deriver::reinfer.
#include <memory>
#include <string>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/suggest.hpp"
#include "grammar/derivation_tree.hpp"
#include "grammar/grammar.hpp"

namespace nas::grammar {

template <class Node>
Json tree_to_json(const Grammar& grammar, const Node& node) {
  Json json{{"s", grammar.symbol_name(node.symbol)}, {"p", grammar.productions(node.symbol)[node.production].label}};
  if (!node.children.empty()) {
    Json children = Json::array();
    for (const auto& child : node.children) children.push_back(tree_to_json(grammar, *child));
    json["c"] = std::move(children);
  }
  return json;
}

template <class Node>
std::unique_ptr<Node> tree_from_json(const Grammar& grammar, const Json& json, const std::string& where) {
  if (!json.is_object() || !json.contains("s") || !json.contains("p") || !json["s"].is_string() ||
      !json["p"].is_string())
    throw Error(where, "expected a node {\"s\": symbol, \"p\": production, \"c\": [children]}, got " +
                           json.dump().substr(0, 80));
  auto node = std::make_unique<Node>();
  node->symbol = grammar.symbol(json["s"].get<std::string>());
  const std::string label = json["p"].get<std::string>();
  node->production = grammar.production_index(node->symbol, label);
  if (node->production < 0) {
    std::vector<std::string> labels;
    for (const auto& production : grammar.productions(node->symbol)) labels.push_back(production.label);
    throw Error(where, "symbol " + json["s"].get<std::string>() + " has no production '" + label + "'; " +
                           accepted_list(label, labels));
  }
  const auto& rhs = grammar.productions(node->symbol)[node->production].children;
  const Json empty = Json::array();
  const Json& children = json.contains("c") ? json["c"] : empty;
  if (!children.is_array()) throw Error(where + ".c", "expected a list of child nodes");
  std::size_t slot = 0;
  for (std::size_t i = 0; i < children.size(); ++i) {
    const std::string child_where = where + ".c[" + std::to_string(i) + "]";
    auto child = tree_from_json<Node>(grammar, children[i], child_where);
    // The next right-hand-side symbol where it matches, else the same one again (a repeated instance).
    if (!node->children.empty()) {
      if (slot + 1 < rhs.size() && rhs[slot + 1] == child->symbol) ++slot;
      else if (slot >= rhs.size() || rhs[slot] != child->symbol) slot = rhs.size();
    }
    if (slot >= rhs.size() || child->symbol != rhs[slot])
      throw Error(child_where, "a " + grammar.symbol_name(child->symbol) + " node cannot stand here under " + label);
    child->slot = static_cast<int>(slot);
    node->children.push_back(std::move(child));
  }
  if (rhs.empty() ? !children.empty() : (node->children.empty() || node->children.back()->slot != int(rhs.size()) - 1))
    throw Error(where, "production '" + label + "' needs " + std::to_string(rhs.size()) + " kinds of children, got " +
                           std::to_string(children.size()) + " children");
  return node;
}

}  // namespace nas::grammar
