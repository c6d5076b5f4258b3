#include "controllers/rl/decision_kind_table.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace nas::rl {

std::size_t OfferedOptions::decision_option(std::size_t kind_option_index) const {
  const auto it = std::find(kind_option.begin(), kind_option.end(), kind_option_index);
  if (it == kind_option.end())
    throw Error("", "kind option " + std::to_string(kind_option_index) + " is not offered by this decision");
  return static_cast<std::size_t>(it - kind_option.begin());
}

DecisionKindTable::DecisionKindTable(std::vector<DecisionKind> kinds, const std::string& space)
    : kinds_(std::move(kinds)) {
  for (std::size_t k = 0; k < kinds_.size(); ++k) {
    const DecisionKind& kind = kinds_[k];
    if (kind.name.empty() || kind.options.empty())
      throw Error(space,
                  "decision kind " + std::to_string(k) + " ('" + kind.name + "') needs a name and at least one option");
    if (!kind_index_.emplace(kind.name, k).second)
      throw Error(space, "decision kind '" + kind.name + "' is declared twice");
    auto& labels = option_index_.emplace_back();
    for (std::size_t o = 0; o < kind.options.size(); ++o)
      if (!labels.emplace(kind.options[o], o).second)
        throw Error(space, "decision kind '" + kind.name + "' lists option '" + kind.options[o] + "' twice");
  }
}

std::vector<std::size_t> DecisionKindTable::option_counts() const {
  std::vector<std::size_t> counts;
  for (const auto& kind : kinds_) counts.push_back(kind.options.size());
  return counts;
}

OfferedOptions DecisionKindTable::offered(const Decision& decision) const {
  const auto kind = kind_index_.find(decision.kind);
  if (kind == kind_index_.end()) {
    std::vector<std::string> names;
    for (const auto& declared : kinds_) names.push_back(declared.name);
    throw Error(decision.key,
                "the rl controller needs each decision to have one of the space's decision kinds; "
                "this one has kind '" +
                    decision.kind + "'; " + accepted_list(decision.kind, names));
  }
  if (decision.options.empty()) throw Error(decision.key, "decision has no options");
  OfferedOptions offered;
  offered.kind = kind->second;
  const auto& labels = option_index_[offered.kind];
  offered.mask.assign(labels.size(), 0);
  for (const auto& label : decision.options) {
    const auto option = labels.find(label);
    if (option == labels.end())
      throw Error(decision.key, "option '" + label + "' is not an option of its decision kind '" + decision.kind +
                                    "'; " + accepted_list(label, kinds_[offered.kind].options));
    offered.kind_option.push_back(option->second);
    offered.mask[option->second] = 1;
  }
  return offered;
}

}  // namespace nas::rl
