#pragma once
// Search spaces of independent choices, for testing controllers and the run loop without building
// networks. Their canonical form is the list of labels chosen.
#include "search_spaces/search_space.hpp"

namespace nas::testing {

// One decision of a toy space: its key, its kind (empty: none) and the labels it offers.
struct ToyDecision {
  std::string key;
  std::string kind;
  std::vector<std::string> options;
};

// Labels o0, o1, ...
inline std::vector<std::string> toy_labels(int options) {
  std::vector<std::string> labels;
  for (int o = 0; o < options; ++o) labels.push_back("o" + std::to_string(o));
  return labels;
}

// Decisions d0, d1, ... each offering every label o0, o1, ...
inline std::vector<ToyDecision> uniform_toy_decisions(int decisions, int options, const std::string& kind = "") {
  std::vector<ToyDecision> list;
  for (int d = 0; d < decisions; ++d) list.push_back(ToyDecision{"d" + std::to_string(d), kind, toy_labels(options)});
  return list;
}

// A space that asks a fixed list of decisions, declaring `kinds` (for the rl controller).
class ListedToySpace : public SearchSpace {
 public:
  ListedToySpace(std::string name, std::vector<DecisionKind> kinds, std::vector<ToyDecision> decisions)
      : name_(std::move(name)), kinds_(std::move(kinds)), decisions_(std::move(decisions)) {}

  std::string name() const override { return name_; }
  std::vector<DecisionKind> decision_kinds() const override { return kinds_; }
  const std::vector<ToyDecision>& decisions() const { return decisions_; }

  Architecture sample(Policy& policy) const override {
    std::vector<Choice> choices;
    std::string canonical;
    Json genotype = Json::array();
    for (const auto& asked : decisions_) {
      const std::size_t index = policy.choose(Decision{asked.key, asked.options, {}, asked.kind});
      choices.push_back(Choice{asked.key, index, asked.options.at(index)});
      canonical += asked.options[index] + ",";
      genotype.push_back(asked.options[index]);
    }
    return Architecture(name(), choices, genotype, canonical);
  }
  Architecture from_genotype(const Json& genotype) const override {
    std::vector<Choice> choices;
    for (std::size_t d = 0; d < genotype.size(); ++d)
      choices.push_back(Choice{decisions_.at(d).key, 0, genotype[d].get<std::string>()});
    return replay(choices);
  }
  ModelSummary describe(const Architecture&, const TaskShape&) const override { return {}; }
  std::shared_ptr<Network> build(const Architecture&, const TaskShape&) const override { return nullptr; }

 private:
  std::string name_;
  std::vector<DecisionKind> kinds_;
  std::vector<ToyDecision> decisions_;
};

// `decisions` independent choices among `options` labels, declaring no decision kinds.
class ToySpace : public ListedToySpace {
 public:
  ToySpace(int decisions = 4, int options = 3) : ListedToySpace("toy", {}, uniform_toy_decisions(decisions, options)) {}
};

// How many decisions two architectures of the same space make differently.
inline int decisions_apart(const Architecture& a, const Architecture& b) {
  int apart = 0;
  for (std::size_t i = 0; i < a.choices().size(); ++i) apart += a.choices()[i].label != b.choices()[i].label;
  return apart;
}

}  // namespace nas::testing
