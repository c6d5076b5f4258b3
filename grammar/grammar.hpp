#pragma once
// A probabilistic context-free grammar: symbols, and for each symbol its productions with weights.
// It knows nothing of what the symbols mean; a space gives them meaning through the semantics it
// hands to the deriver (grammar/derivation.hpp).
#include <cstdint>
#include <string>
#include <vector>

namespace nas::grammar {

struct Production {
  std::string label;          // names the option where a policy is asked, e.g. "sequential"
  // Relative probability among the symbol's productions that survive filtering. Weight 0: never
  // drawn, but accepted in given trees (replayed, re-inferred).
  double weight = 1;
  std::vector<int> children;  // right-hand-side symbols (by id), derived left to right; none for a terminal
};

class Grammar {
 public:
  // Adds a symbol with no productions yet and returns its id; names are unique.
  int add_symbol(const std::string& name);
  // Adds a production to `symbol`; its children must be symbols already added.
  void add_production(int symbol, Production production);
  // Checks that every symbol can derive a finite tree and records, per production, the height of the
  // shortest tree it can start (a terminal production has height 1). Call once, after the last add.
  void finish();

  int symbol(const std::string& name) const;  // throws nas::Error naming the known symbols
  const std::string& symbol_name(int symbol) const { return names_.at(symbol); }
  std::size_t symbol_count() const { return names_.size(); }
  const std::vector<Production>& productions(int symbol) const { return productions_.at(symbol); }
  // The index of the production labelled `label` of `symbol`, or -1.
  int production_index(int symbol, const std::string& label) const;

  // Shortest derivation height of a production and of a symbol (its shortest production).
  int production_height(int symbol, std::size_t production) const { return heights_.at(symbol).at(production); }
  int min_height(int symbol) const { return min_heights_.at(symbol); }

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<Production>> productions_;
  std::vector<std::vector<int>> heights_;
  std::vector<int> min_heights_;
};

}  // namespace nas::grammar
