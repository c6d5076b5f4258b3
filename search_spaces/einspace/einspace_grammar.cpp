#include "search_spaces/einspace/einspace_grammar.hpp"

#include <algorithm>

namespace nas {

EinspaceGrammar::EinspaceGrammar(const EinspaceOptions& options) {
  symbols_.s = grammar_.add_symbol("S");
  symbols_.m = grammar_.add_symbol("M");
  symbols_.b = grammar_.add_symbol("B");
  symbols_.a = grammar_.add_symbol("A");
  symbols_.p = grammar_.add_symbol("P");
  symbols_.r = grammar_.add_symbol("R");
  symbols_.c = grammar_.add_symbol("C");
  const EinSymbols& y = symbols_;
  terminals_.assign(grammar_.symbol_count(), {});

  // The root has no bare computation: an architecture is at least two modules or one composite.
  const double p = options.computation_probability;
  for (int symbol : {y.s, y.m}) {
    const double weight = symbol == y.s ? 1.0 : (1 - p) / 3;
    grammar_.add_production(symbol, {"sequential", weight, {y.m, y.m}});
    grammar_.add_production(symbol, {"branching", weight, {y.b, y.m, y.a}});
    grammar_.add_production(symbol, {"routing", weight, {y.p, y.m, y.r}});
    terminals_[symbol].assign(3, nullptr);
  }
  grammar_.add_production(y.m, {"computation", p, {y.c}});
  terminals_[y.m].push_back(nullptr);

  for (const EinTerminal& t : einspace_terminals()) {
    const int symbol = grammar_.symbol(t.symbol);
    bool sampled = !t.seed_only &&
                   std::find(options.exclude.begin(), options.exclude.end(), t.label) == options.exclude.end();
    if (t.op == EinOp::linear && t.width > 0)
      sampled = sampled && std::find(options.linear_widths.begin(), options.linear_widths.end(), t.width) !=
                               options.linear_widths.end();
    // Excluded terminals stay in the grammar with weight 0, so that given architectures (seeds, logs)
    // holding them still read; they are never drawn.
    grammar_.add_production(symbol, {t.label, sampled ? 1.0 : 0.0, {}});
    terminals_[symbol].push_back(&t);
  }
  grammar_.finish();
  decisions_ = std::make_unique<grammar::DecisionTable>(grammar_);
}

}  // namespace nas
