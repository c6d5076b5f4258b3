#pragma once
// The Decision a policy is asked for one expansion of a symbol: the labels of the productions that
// survived filtering, their weights as the prior, the symbol as key and kind. Built once per
// (symbol, surviving set) and reused, because a derivation asks thousands of them per second.
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/decision.hpp"
#include "grammar/grammar.hpp"

namespace nas::grammar {

class DecisionTable {
 public:
  struct Entry {
    Decision decision;
    std::vector<int> productions;  // production index per option of `decision`
  };

  explicit DecisionTable(const Grammar& grammar) : grammar_(grammar) {}
  // `allowed` has one flag per production of `symbol`, at least one set. Thread-safe.
  const Entry& get(int symbol, const std::vector<char>& allowed) const;
  // Every production of every symbol, one kind per symbol: what a learned policy sizes its heads by.
  std::vector<DecisionKind> kinds() const;

 private:
  const Grammar& grammar_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::uint64_t, std::unique_ptr<Entry>> entries_;
};

}  // namespace nas::grammar
