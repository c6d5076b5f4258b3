// The grammar engine on a toy grammar of integer sums and products (not einspace): contexts carry an
// upper bound on the value, results carry the value, and the semantics reject what exceeds the bound.
#include <gtest/gtest.h>

#include <map>

#include "core/rng.hpp"
#include "grammar/deriver.hpp"

namespace nas::grammar {
namespace {

struct Bound {
  int max_value = 0;
  bool no_three = false;  // a filter: the literal 3 is not offered
};
struct Value {
  int value = 0;
};

// E -> E + E | E * E | N | twice(E) ;  N -> 1 | 2 | 3 ;  Z -> zero-sized (always fails) | N
struct ToyGrammar {
  Grammar grammar;
  int e, n, z;
  ToyGrammar(double p_leaf = 1) {
    e = grammar.add_symbol("E");
    n = grammar.add_symbol("N");
    z = grammar.add_symbol("Z");
    grammar.add_production(e, {"plus", 1, {e, e}});
    grammar.add_production(e, {"times", 1, {e, e}});
    grammar.add_production(e, {"leaf", p_leaf, {n}});
    grammar.add_production(e, {"twice", 1, {e}});  // one E, counted twice by the semantics' instances
    grammar.add_production(e, {"broken", 1, {z}});
    for (const char* digit : {"1", "2", "3"}) grammar.add_production(n, {digit, 1, {}});
    grammar.add_production(z, {"never", 1, {}});
    grammar.finish();
  }
};

struct ToySemantics {
  using Context = Bound;
  using Result = Value;
  using Node = DerivationNode<Bound, Value>;
  const ToyGrammar& toy;

  void filter(int symbol, const Bound& bound, int, bool, std::vector<char>& allowed) const {
    if (symbol == toy.n && bound.no_three) allowed[2] = 0;
  }
  std::size_t instances(const Node& node, std::size_t) const {
    return toy.grammar.productions(node.symbol)[node.production].label == "twice" ? 2 : 1;
  }
  Bound child_context(const Node& node, std::size_t) const { return node.context; }
  bool synthesize(Node& node) const {
    const std::string& label = toy.grammar.productions(node.symbol)[node.production].label;
    int value = 0;
    if (node.symbol == toy.n) value = std::stoi(label);
    else if (label == "never") return false;
    else if (label == "times") value = node.children[0]->result.value * node.children[1]->result.value;
    else if (label == "twice") value = node.children[0]->result.value + node.children[1]->result.value;
    else if (label == "plus") value = node.children[0]->result.value + node.children[1]->result.value;
    else value = node.children[0]->result.value;
    node.result.value = value;
    return value <= node.context.max_value;
  }
};

using Deriv = Deriver<ToySemantics>;

struct Fixture {
  ToyGrammar toy;
  DecisionTable table{toy.grammar};
  ToySemantics semantics{toy};
};

std::string render(const Fixture& f, const ToySemantics::Node& node) {
  std::string text = f.toy.grammar.productions(node.symbol)[node.production].label;
  if (node.children.empty()) return text;
  text += "(";
  for (std::size_t i = 0; i < node.children.size(); ++i) text += (i ? "," : "") + render(f, *node.children[i]);
  return text + ")";
}

TEST(GrammarDeriver, BacktrackingKeepsEveryTreeWithinItsBoundAndFailuresGoToTheParent) {
  Fixture f;
  Rng rng(1);
  RandomPolicy policy(rng);
  for (int i = 0; i < 500; ++i) {
    Deriv deriver(f.toy.grammar, f.table, f.semantics, {8, 10000});
    auto tree = deriver.derive(f.toy.e, Bound{6}, 0, policy);
    ASSERT_TRUE(tree);
    EXPECT_LE(tree->result.value, 6);
    // "broken" derives Z, whose only option fails: it never survives in a tree.
    visit_preorder<ToySemantics::Node>(*tree, [&](const ToySemantics::Node& node) {
      EXPECT_NE(f.toy.grammar.productions(node.symbol)[node.production].label, "broken");
    });
  }
}

TEST(GrammarDeriver, NoOptionLeftReturnsNothing) {
  Fixture f;
  Rng rng(2);
  RandomPolicy policy(rng);
  // Depth limit 1 keeps the exhaustive search small: every option of the root is tried and fails.
  Deriv deriver(f.toy.grammar, f.table, f.semantics, {1, 10000});
  EXPECT_FALSE(deriver.derive(f.toy.e, Bound{0}, 0, policy));  // every value is at least 1
}

TEST(GrammarDeriver, FilteredOptionsAreNeverOffered) {
  Fixture f;
  Rng rng(3);
  struct Spy : Policy {
    RandomPolicy inner;
    explicit Spy(Rng& r) : inner(r) {}
    std::size_t choose(const Decision& d) override {
      if (d.key == "N") {
        EXPECT_EQ(d.options, (std::vector<std::string>{"1", "2"}));
      }
      return inner.choose(d);
    }
  } spy(rng);
  for (int i = 0; i < 200; ++i) {
    Deriv deriver(f.toy.grammar, f.table, f.semantics, {6, 10000});
    ASSERT_TRUE(deriver.derive(f.toy.e, Bound{100, true}, 0, spy));
  }
}

TEST(GrammarDeriver, ProductionsAreDrawnByTheirWeights) {
  ToyGrammar toy(/*p_leaf=*/6);  // leaf: 6 of 10 weight
  DecisionTable table(toy.grammar);
  ToySemantics semantics{toy};
  Rng rng(4);
  RandomPolicy policy(rng);
  int leaves = 0, roots = 4000;
  for (int i = 0; i < roots; ++i) {
    Deriv deriver(toy.grammar, table, semantics, {1, 10000});  // depth 1 on: leaves only
    auto tree = deriver.derive(toy.e, Bound{1000}, 0, policy);
    ASSERT_TRUE(tree);
    leaves += toy.grammar.productions(toy.e)[tree->production].label == "leaf";
  }
  // The root's first draw: leaf 0.6, broken 0.1 (fails, then the rest renormalise): P(leaf) = 0.6 + 0.1 * 0.6/0.9.
  EXPECT_NEAR(leaves / double(roots), 0.6 + 0.1 * 0.6 / 0.9, 0.03);
}

TEST(GrammarDeriver, DepthLimitClosesTheTreeWithTheShortestProductions) {
  Fixture f;
  Rng rng(5);
  RandomPolicy policy(rng);
  for (int i = 0; i < 300; ++i) {
    Deriv deriver(f.toy.grammar, f.table, f.semantics, {3, 10000});
    auto tree = deriver.derive(f.toy.e, Bound{1000}, 0, policy);
    ASSERT_TRUE(tree);
    int deepest = 0;
    visit_preorder<ToySemantics::Node>(*tree, [&](const ToySemantics::Node& n) { deepest = std::max(deepest, n.depth); });
    EXPECT_LE(deepest, 4);  // an E at depth 3 becomes leaf(N): N sits at depth 4
  }
}

TEST(GrammarDeriver, TooManyNodesAbandonsTheDerivation) {
  ToyGrammar toy(/*p_leaf=*/0.01);  // almost always grows
  DecisionTable table(toy.grammar);
  ToySemantics semantics{toy};
  Rng rng(6);
  RandomPolicy policy(rng);
  Deriv deriver(toy.grammar, table, semantics, {100, 50});
  EXPECT_THROW(deriver.derive(toy.e, Bound{1 << 30}, 0, policy), TreeTooLarge);
}

TEST(GrammarDeriver, RecordedChoicesReplayToTheSameTree) {
  Fixture f;
  Rng rng(7);
  RandomPolicy policy(rng);
  for (int i = 0; i < 200; ++i) {
    Deriv deriver(f.toy.grammar, f.table, f.semantics, {6, 10000});
    auto tree = deriver.derive(f.toy.e, Bound{40}, 0, policy);
    ASSERT_TRUE(tree);
    ReplayPolicy replay(tree_choices(f.toy.grammar, *tree));
    Deriv again(f.toy.grammar, f.table, f.semantics, {6, 10000});
    auto copy = again.derive(f.toy.e, Bound{40}, 0, replay);
    ASSERT_TRUE(copy);
    EXPECT_TRUE(replay.finished());
    EXPECT_EQ(render(f, *copy), render(f, *tree));
  }
}

TEST(GrammarDeriver, InstancesRepeatAChildAndEachCopyIsDerivedOnItsOwn) {
  Fixture f;
  Rng rng(8);
  RandomPolicy policy(rng);
  int twice_nodes = 0;
  for (int i = 0; i < 300; ++i) {
    Deriv deriver(f.toy.grammar, f.table, f.semantics, {5, 10000});
    auto tree = deriver.derive(f.toy.e, Bound{1000}, 0, policy);
    visit_preorder<ToySemantics::Node>(*tree, [&](const ToySemantics::Node& n) {
      if (f.toy.grammar.productions(n.symbol)[n.production].label != "twice") return;
      ++twice_nodes;
      ASSERT_EQ(n.children.size(), 2u);
      EXPECT_EQ(n.children[0]->slot, 0);
      EXPECT_EQ(n.children[1]->slot, 0);
      EXPECT_EQ(n.result.value, n.children[0]->result.value + n.children[1]->result.value);
    });
  }
  EXPECT_GT(twice_nodes, 20);
}

TEST(GrammarDeriver, RegrowingANodeChangesItsSubtreeAndReinfersTheRest) {
  Fixture f;
  Rng rng(9);
  RandomPolicy policy(rng);
  int changed = 0;
  for (int i = 0; i < 300; ++i) {
    Deriv deriver(f.toy.grammar, f.table, f.semantics, {6, 100000});
    auto tree = deriver.derive(f.toy.e, Bound{30}, 0, policy);
    ASSERT_TRUE(tree);
    const std::size_t target = rng.index(tree_size(*tree));
    std::vector<const ToySemantics::Node*> nodes;
    visit_preorder<ToySemantics::Node>(*tree, [&](const ToySemantics::Node& n) { nodes.push_back(&n); });
    auto child = deriver.regrow(*tree, target, Bound{30}, policy);
    if (!child) continue;
    ++changed;
    std::vector<const ToySemantics::Node*> after;
    visit_preorder<ToySemantics::Node>(*child, [&](const ToySemantics::Node& n) { after.push_back(&n); });
    ASSERT_GT(after.size(), target);
    // The node drawn now holds another production of the same symbol; the nodes before it are kept.
    EXPECT_EQ(after[target]->symbol, nodes[target]->symbol);
    EXPECT_NE(after[target]->production, nodes[target]->production);
    for (std::size_t k = 0; k < target; ++k) EXPECT_EQ(after[k]->production, nodes[k]->production);
    EXPECT_LE(child->result.value, 30);  // re-inferred: the bound still holds at the root
  }
  EXPECT_GT(changed, 100);
}

TEST(GrammarDeriver, RegrowFailsWhenTheRestOfTheTreeNoLongerFits) {
  Fixture f;
  Rng rng(10);
  // times(leaf(3), leaf(3)) = 9 under bound 9: regrowing the second digit to anything but 3 fits, but
  // raising the first operand past 3 (via plus) would break the root: reinfer must catch it.
  ReplayPolicy replay({{"E", 0, "times"}, {"E", 0, "leaf"}, {"N", 0, "3"}, {"E", 0, "leaf"}, {"N", 0, "3"}});
  Deriv deriver(f.toy.grammar, f.table, f.semantics, {6, 10000});
  auto tree = deriver.derive(f.toy.e, Bound{9}, 0, replay);
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->result.value, 9);
  struct Plus : Policy {
    bool first = true;
    std::size_t choose(const Decision& d) override {
      const std::string wanted = first ? "plus" : d.key == "E" ? "leaf" : "3";
      first = false;
      for (std::size_t i = 0; i < d.options.size(); ++i)
        if (d.options[i] == wanted) return i;
      ADD_FAILURE() << "no option " << wanted;
      return 0;
    }
  } plus;
  // Node 1 is the first operand's E; regrown as plus(leaf 3, leaf 3) = 6 fits its own context
  // (bound 9) but makes the root 6 * 3 = 18 > 9.
  EXPECT_FALSE(deriver.regrow(*tree, 1, Bound{9}, plus));
}

}  // namespace
}  // namespace nas::grammar
