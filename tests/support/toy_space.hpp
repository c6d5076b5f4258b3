#pragma once
// A search space of `decisions` independent choices among `options` labels, for testing controllers
// and the run loop without building networks. Its canonical form is the list of labels.
#include "search_spaces/search_space.hpp"

namespace nas::testing {

class ToySpace : public SearchSpace {
 public:
  ToySpace(int decisions = 4, int options = 3) : decisions_(decisions), options_(options) {}
  std::string name() const override { return "toy"; }

  Architecture sample(Policy& policy) const override {
    std::vector<Choice> choices;
    std::string canonical;
    Json genotype = Json::array();
    for (int d = 0; d < decisions_; ++d) {
      Decision decision{"d" + std::to_string(d), {}, {}};
      for (int o = 0; o < options_; ++o) decision.options.push_back("o" + std::to_string(o));
      const std::size_t index = policy.choose(decision);
      choices.push_back(Choice{decision.key, index, decision.options[index]});
      canonical += decision.options[index] + ",";
      genotype.push_back(decision.options[index]);
    }
    return Architecture(name(), choices, genotype, canonical);
  }
  Architecture from_genotype(const Json& genotype) const override {
    std::vector<Choice> choices;
    for (std::size_t d = 0; d < genotype.size(); ++d)
      choices.push_back(Choice{"d" + std::to_string(d), 0, genotype[d].get<std::string>()});
    return replay(choices);
  }
  ModelSummary describe(const Architecture&, const TaskShape&) const override { return {}; }
  std::shared_ptr<Network> build(const Architecture&, const TaskShape&) const override { return nullptr; }

 private:
  int decisions_;
  int options_;
};

// How many decisions two architectures of the same space make differently.
inline int decisions_apart(const Architecture& a, const Architecture& b) {
  int apart = 0;
  for (std::size_t i = 0; i < a.choices().size(); ++i) apart += a.choices()[i].label != b.choices()[i].label;
  return apart;
}

}  // namespace nas::testing
