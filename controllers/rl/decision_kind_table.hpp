#pragma once
// The decision kinds a space declares, looked up by name and label: which output head a decision
// goes to, and which of that head's options the decision offers (the others are masked).
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/decision.hpp"

namespace nas::rl {

// One decision seen through its kind.
struct OfferedOptions {
  std::size_t kind = 0;
  std::vector<std::size_t> kind_option;  // for each option of the decision, its index among the kind's options
  std::vector<std::uint8_t> mask;        // for each option of the kind, 1 where the decision offers it

  // The decision's first option with this label (a decision may list a label twice).
  std::size_t decision_option(std::size_t kind_option_index) const;
};

class DecisionKindTable {
 public:
  // `space` names the space in messages about its declaration.
  DecisionKindTable(std::vector<DecisionKind> kinds, const std::string& space);

  std::size_t size() const { return kinds_.size(); }
  std::vector<std::size_t> option_counts() const;
  // Fails, naming the decision, when its kind is not declared or it offers a label its kind lacks.
  OfferedOptions offered(const Decision& decision) const;

 private:
  std::vector<DecisionKind> kinds_;
  std::unordered_map<std::string, std::size_t> kind_index_;
  std::vector<std::unordered_map<std::string, std::size_t>> option_index_;  // per kind: label -> index
};

}  // namespace nas::rl
