#include "grammar/decision_table.hpp"

#include "core/error.hpp"

namespace nas::grammar {

const DecisionTable::Entry& DecisionTable::get(int symbol, const std::vector<char>& allowed) const {
  const auto& productions = grammar_.productions(symbol);
  if (productions.size() > 32)
    throw Error("grammar", "symbol " + grammar_.symbol_name(symbol) + " has more than 32 productions");
  std::uint64_t mask = 0;
  for (std::size_t p = 0; p < productions.size(); ++p)
    if (allowed[p]) mask |= std::uint64_t{1} << p;
  const std::uint64_t key = (static_cast<std::uint64_t>(symbol) << 32) | mask;
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = entries_[key];
  if (!slot) {
    slot = std::make_unique<Entry>();
    const std::string& name = grammar_.symbol_name(symbol);
    slot->decision.key = name;
    slot->decision.kind = name;
    for (std::size_t p = 0; p < productions.size(); ++p)
      if (allowed[p]) {
        slot->decision.options.push_back(productions[p].label);
        slot->decision.prior.push_back(productions[p].weight);
        slot->productions.push_back(static_cast<int>(p));
      }
  }
  return *slot;
}

std::vector<DecisionKind> DecisionTable::kinds() const {
  std::vector<DecisionKind> kinds;
  for (std::size_t s = 0; s < grammar_.symbol_count(); ++s) {
    DecisionKind kind{grammar_.symbol_name(static_cast<int>(s)), {}};
    for (const auto& production : grammar_.productions(static_cast<int>(s))) kind.options.push_back(production.label);
    kinds.push_back(std::move(kind));
  }
  return kinds;
}

}  // namespace nas::grammar
