#pragma once
// Derives trees of a Grammar under a space's semantics, asking a Policy at every expansion.
//
// The semantics (a template argument, so that the thousands of calls per derivation inline) give the
// grammar its meaning:
//   using Context = ...; using Result = ...;
//   void filter(int symbol, const Context&, int depth, bool drawing, std::vector<char>& allowed) const;
//       clears the flags of the productions that are invalid in this context (validity filters);
//       `drawing` is false when an existing tree is checked, so that rules which only shape what is
//       drawn (not what is valid) can stay out of that check;
//   std::size_t instances(const Node& node, std::size_t rhs) const;
//       how many independently derived copies of right-hand-side symbol `rhs` the node gets, given the
//       children it has so far (usually 1);
//   Context child_context(const Node& node, std::size_t rhs) const;
//       the context of the next child (of right-hand-side symbol `rhs`), given the children so far;
//   bool synthesize(Node& node) const;
//       fills node.result from its context and children; false when the chosen option cannot be
//       instantiated here, which makes the deriver drop it and draw another (backtracking).
//
// When no option of a symbol is left, the failure goes to the parent, which drops its own option.
// At the depth limit only the productions that close the tree fastest survive, and a derivation that
// creates more than `max_nodes` nodes (backtracked ones included) is abandoned with TreeTooLarge.
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/policy.hpp"
#include "grammar/decision_table.hpp"
#include "grammar/derivation_tree.hpp"
#include "grammar/grammar.hpp"

namespace nas::grammar {

struct DerivationLimits {
  int max_depth = 100;           // from this depth on, only the shortest-closing productions
  std::size_t max_nodes = 100000;  // nodes created by one derivation, failed attempts included
  bool offer_unweighted = false;   // offer weight-0 productions too (replaying a recorded tree)
};

class TreeTooLarge : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class Semantics>
class Deriver {
 public:
  using Context = typename Semantics::Context;
  using Result = typename Semantics::Result;
  using Node = DerivationNode<Context, Result>;

  Deriver(const Grammar& grammar, const DecisionTable& decisions, const Semantics& semantics, DerivationLimits limits)
      : grammar_(grammar), decisions_(decisions), semantics_(semantics), limits_(limits) {}

  // A tree for `symbol` in `context`, or nullptr when no option works. `excluded` (a production
  // index) is never chosen: a regrown subtree must differ. Throws TreeTooLarge.
  std::unique_ptr<Node> derive(int symbol, const Context& context, int depth, Policy& policy, int excluded = -1) {
    if (++created_ > limits_.max_nodes)
      throw TreeTooLarge("the derivation created more than " + std::to_string(limits_.max_nodes) + " nodes");
    auto node = std::make_unique<Node>();
    node->symbol = symbol;
    node->depth = depth;
    node->context = context;
    std::vector<char>& allowed = scratch(depth);
    allowed_productions(symbol, context, depth, true, allowed);
    if (excluded >= 0) allowed[excluded] = 0;
    for (;;) {
      bool any = false;
      for (char flag : allowed) any = any || flag;
      if (!any) return nullptr;
      const DecisionTable::Entry& entry = decisions_.get(symbol, allowed);
      const std::size_t option = policy.choose(entry.decision);
      if (option >= entry.productions.size())
        throw Error(entry.decision.key, "the policy chose option " + std::to_string(option) + " of " +
                                            std::to_string(entry.productions.size()));
      node->production = entry.productions[option];
      node->children.clear();
      if (derive_children(*node, policy) && semantics_.synthesize(*node)) return node;
      allowed[node->production] = 0;
    }
  }

  // Walks an existing tree again from `context`, keeping every production, and recomputes contexts
  // and results (after a subtree was replaced). A node whose production the filters now refuse, or
  // that no longer synthesises, makes it return false. A symbol whose number of instances changed
  // keeps its first copies, or repeats its last one. Weights and the depth limit are rules for drawing,
  // not validity: a given tree may hold weight-0 productions and be deeper.
  // `failed_at`, where given, receives the path of the node that failed below this one, as
  // ".c[1].c[0]" (empty: this node itself), in the form grammar/tree_json.hpp reports.
  bool reinfer(Node& node, const Context& context, int depth, std::string* failed_at = nullptr) const {
    node.context = context;
    node.depth = depth;
    std::vector<char> allowed;
    allowed_productions(node.symbol, context, depth, false, allowed);
    if (!allowed[node.production]) return false;
    std::vector<std::unique_ptr<Node>> old_children = std::move(node.children);
    node.children.clear();
    const auto& rhs = grammar_.productions(node.symbol)[node.production].children;
    for (std::size_t r = 0; r < rhs.size(); ++r) {
      std::vector<std::unique_ptr<Node>> copies;
      for (std::size_t i = 0; i < old_children.size(); ++i)
        if (old_children[i] && old_children[i]->slot == static_cast<int>(r)) copies.push_back(std::move(old_children[i]));
      if (copies.empty()) return false;
      const std::size_t wanted = semantics_.instances(node, r);
      for (std::size_t k = 0; k < wanted; ++k) {
        std::unique_ptr<Node> child = k < copies.size() ? std::move(copies[k]) : node.children.back()->clone();
        if (!reinfer(*child, semantics_.child_context(node, r), depth + 1, failed_at)) {
          if (failed_at) *failed_at = ".c[" + std::to_string(node.children.size()) + "]" + *failed_at;
          return false;
        }
        child->slot = static_cast<int>(r);
        node.children.push_back(std::move(child));
      }
    }
    return semantics_.synthesize(node);
  }

  // A copy of `root` (derived from `root_context`) whose node number `target` (pre-order) is
  // replaced by a fresh derivation from that node's stored context with another production, and
  // whose contexts and results are inferred again. nullptr when either step fails.
  std::unique_ptr<Node> regrow(const Node& root, std::size_t target, const Context& root_context, Policy& policy) {
    std::unique_ptr<Node> copy = root.clone();
    std::size_t counter = 0;
    std::unique_ptr<Node>* slot = find(copy, target, counter);
    if (!slot) throw Error("grammar", "the tree has no node number " + std::to_string(target));
    const Node& old = **slot;
    std::unique_ptr<Node> fresh = derive(old.symbol, old.context, old.depth, policy, old.production);
    if (!fresh) return nullptr;
    fresh->slot = old.slot;
    *slot = std::move(fresh);
    if (!reinfer(*copy, root_context, 0)) return nullptr;
    return copy;
  }

 private:
  // The flags of the productions that may be chosen, in `allowed`.
  void allowed_productions(int symbol, const Context& context, int depth, bool drawing,
                           std::vector<char>& allowed) const {
    const auto& productions = grammar_.productions(symbol);
    allowed.assign(productions.size(), 1);
    semantics_.filter(symbol, context, depth, drawing, allowed);
    if (!drawing) return;
    if (!limits_.offer_unweighted)
      for (std::size_t p = 0; p < productions.size(); ++p)
        if (productions[p].weight == 0) allowed[p] = 0;
    if (depth >= limits_.max_depth) {
      int shortest = 1 << 30;
      for (std::size_t p = 0; p < productions.size(); ++p)
        if (allowed[p]) shortest = std::min(shortest, grammar_.production_height(symbol, p));
      for (std::size_t p = 0; p < productions.size(); ++p)
        if (grammar_.production_height(symbol, p) > shortest) allowed[p] = 0;
    }
  }

  // A flags buffer per depth, kept between nodes: a derivation visits thousands of nodes, and an
  // allocation for each showed in profiles. (A deque, so that deeper levels do not move the ones in use.)
  std::vector<char>& scratch(int depth) {
    while (static_cast<int>(scratch_.size()) <= depth) scratch_.emplace_back();
    return scratch_[depth];
  }

  bool derive_children(Node& node, Policy& policy) {
    const auto& rhs = grammar_.productions(node.symbol)[node.production].children;
    node.children.reserve(rhs.size());
    for (std::size_t r = 0; r < rhs.size(); ++r) {
      const std::size_t copies = semantics_.instances(node, r);
      for (std::size_t k = 0; k < copies; ++k) {
        std::unique_ptr<Node> child = derive(rhs[r], semantics_.child_context(node, r), node.depth + 1, policy);
        if (!child) return false;
        child->slot = static_cast<int>(r);
        node.children.push_back(std::move(child));
      }
    }
    return true;
  }

  static std::unique_ptr<Node>* find(std::unique_ptr<Node>& node, std::size_t target, std::size_t& counter) {
    if (counter++ == target) return &node;
    for (auto& child : node->children)
      if (auto* found = find(child, target, counter)) return found;
    return nullptr;
  }

  const Grammar& grammar_;
  const DecisionTable& decisions_;
  const Semantics& semantics_;
  DerivationLimits limits_;
  std::size_t created_ = 0;
  std::deque<std::vector<char>> scratch_;
};

}  // namespace nas::grammar
