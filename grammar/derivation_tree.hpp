#pragma once
// A derivation tree whose nodes keep the context they were derived in (what the space's semantics
// passed down) and what they synthesised (what they pass up), so that any subtree can be regrown in
// place from its own context.
#include <functional>
#include <memory>
#include <vector>

#include "core/decision.hpp"
#include "grammar/grammar.hpp"

namespace nas::grammar {

template <class Context, class Result>
struct DerivationNode {
  int symbol = 0;
  int production = -1;
  int depth = 0;
  Context context{};
  Result result{};
  int slot = -1;  // the index of the right-hand-side symbol of its parent's production that it derives
  std::vector<std::unique_ptr<DerivationNode>> children;

  std::unique_ptr<DerivationNode> clone() const {
    auto copy = std::make_unique<DerivationNode>();
    copy->symbol = symbol;
    copy->production = production;
    copy->depth = depth;
    copy->context = context;
    copy->result = result;
    copy->slot = slot;
    copy->children.reserve(children.size());
    for (const auto& child : children) copy->children.push_back(child->clone());
    return copy;
  }
};

// Number of nodes, terminals included.
template <class Node>
std::size_t tree_size(const Node& node) {
  std::size_t size = 1;
  for (const auto& child : node.children) size += tree_size(*child);
  return size;
}

// Visits the nodes in pre-order (the numbering a mutation draws from).
template <class Node>
void visit_preorder(const Node& node, const std::function<void(const Node&)>& visit) {
  visit(node);
  for (const auto& child : node.children) visit_preorder(*child, visit);
}

// The production chosen at every node, in pre-order, keyed by symbol: what a ReplayPolicy replays
// to derive the same tree again (filtering and backtracking are deterministic, so the same choices
// survive). Choice::index is the production's index in the grammar.
template <class Node>
std::vector<Choice> tree_choices(const Grammar& grammar, const Node& root) {
  std::vector<Choice> choices;
  visit_preorder<Node>(root, [&](const Node& node) {
    choices.push_back(Choice{grammar.symbol_name(node.symbol), static_cast<std::size_t>(node.production),
                             grammar.productions(node.symbol)[node.production].label});
  });
  return choices;
}

}  // namespace nas::grammar
