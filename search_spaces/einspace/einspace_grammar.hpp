#pragma once
// The einspace grammar (Ericsson et al. 2024, section 3) as a grammar::Grammar:
//   S -> M M | B M A | P M R                   (sequential, branching, routing; uniform)
//   M -> M M | B M A | P M R | C               (C with p(M -> C), the others (1 - p) / 3 each)
//   B, A, P, R, C -> their terminals           (uniform over those that survive the filters)
// The seeds' extra terminals have weight 0: a derivation never draws them, a given tree may hold them.
#include <memory>
#include <vector>

#include "grammar/decision_table.hpp"
#include "grammar/grammar.hpp"
#include "search_spaces/einspace/einspace_options.hpp"
#include "search_spaces/einspace/einspace_terminals.hpp"

namespace nas {

struct EinSymbols {
  int s, m, b, a, p, r, c;
};

// The production indices of S and M, in the order above.
enum EinModule { kSequential = 0, kBranching = 1, kRouting = 2, kComputation = 3 };

class EinspaceGrammar {
 public:
  explicit EinspaceGrammar(const EinspaceOptions& options);

  const grammar::Grammar& grammar() const { return grammar_; }
  const grammar::DecisionTable& decisions() const { return *decisions_; }
  const EinSymbols& symbols() const { return symbols_; }
  // The terminal a production of B, A, P, R or C stands for; nullptr for S and M.
  const EinTerminal* terminal(int symbol, int production) const { return terminals_[symbol][production]; }

 private:
  grammar::Grammar grammar_;
  std::unique_ptr<grammar::DecisionTable> decisions_;
  EinSymbols symbols_{};
  std::vector<std::vector<const EinTerminal*>> terminals_;
};

}  // namespace nas
