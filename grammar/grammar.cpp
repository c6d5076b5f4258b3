#include "grammar/grammar.hpp"

#include <algorithm>
#include <limits>

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace nas::grammar {

int Grammar::add_symbol(const std::string& name) {
  if (std::find(names_.begin(), names_.end(), name) != names_.end())
    throw Error("grammar", "symbol '" + name + "' is defined twice");
  names_.push_back(name);
  productions_.emplace_back();
  return static_cast<int>(names_.size()) - 1;
}

void Grammar::add_production(int symbol, Production production) {
  if (symbol < 0 || symbol >= static_cast<int>(names_.size())) throw Error("grammar", "no symbol with id " + std::to_string(symbol));
  for (int child : production.children)
    if (child < 0 || child >= static_cast<int>(names_.size()))
      throw Error("grammar", "production '" + production.label + "' of " + names_[symbol] + " names an unknown symbol");
  if (!(production.weight >= 0))
    throw Error("grammar", "production '" + production.label + "' of " + names_[symbol] + " needs a weight >= 0");
  if (production_index(symbol, production.label) >= 0)
    throw Error("grammar", "symbol " + names_[symbol] + " has two productions labelled '" + production.label + "'");
  productions_[symbol].push_back(std::move(production));
}

void Grammar::finish() {
  // Shortest heights by fixed point: a production's height is 1 + the tallest of its children's
  // shortest heights; iterate until nothing shrinks (at most one round per symbol).
  constexpr int kUnknown = std::numeric_limits<int>::max();
  heights_.assign(names_.size(), {});
  min_heights_.assign(names_.size(), kUnknown);
  for (std::size_t s = 0; s < names_.size(); ++s) heights_[s].assign(productions_[s].size(), kUnknown);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t s = 0; s < names_.size(); ++s)
      for (std::size_t p = 0; p < productions_[s].size(); ++p) {
        int tallest = 0;
        for (int child : productions_[s][p].children) tallest = std::max(tallest, min_heights_[child]);
        if (tallest == kUnknown) continue;
        if (tallest + 1 < heights_[s][p]) {
          heights_[s][p] = tallest + 1;
          if (heights_[s][p] < min_heights_[s]) min_heights_[s] = heights_[s][p];
          changed = true;
        }
      }
  }
  for (std::size_t s = 0; s < names_.size(); ++s)
    if (min_heights_[s] == kUnknown)
      throw Error("grammar", "symbol " + names_[s] + " cannot derive a finite tree (every production recurses)");
}

int Grammar::symbol(const std::string& name) const {
  auto it = std::find(names_.begin(), names_.end(), name);
  if (it == names_.end()) throw Error("grammar", "no symbol '" + name + "'; " + accepted_list(name, names_));
  return static_cast<int>(it - names_.begin());
}

int Grammar::production_index(int symbol, const std::string& label) const {
  const auto& list = productions_.at(symbol);
  for (std::size_t p = 0; p < list.size(); ++p)
    if (list[p].label == label) return static_cast<int>(p);
  return -1;
}

}  // namespace nas::grammar
