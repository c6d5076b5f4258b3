#pragma once
// The NASNet cell search space (Zoph et al. 2018): a normal and a reduction cell of B blocks each,
// stacked N normal cells per stage with R reduction cells between stages. Registered as "nasnet".
//
// Decisions, normal cell first, then reduction cell, for each block b in order:
//   <cell>/b<b>/input_a, <cell>/b<b>/input_b  (s0 .. s{b+1})
//   <cell>/b<b>/op_a, <cell>/b<b>/op_b        (the configured op labels)
//   <cell>/b<b>/combine                       (the configured combines)
#include "search_spaces/nasnet/nasnet_genotype.hpp"
#include "search_spaces/nasnet/nasnet_options.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

class NasnetSpace : public SearchSpace {
 public:
  explicit NasnetSpace(NasnetOptions options);

  std::string name() const override { return "nasnet"; }
  const NasnetOptions& options() const { return options_; }

  Architecture sample(Policy& policy) const override;
  Architecture from_genotype(const Json& genotype) const override;
  std::vector<DecisionKind> decision_kinds() const override;
  std::vector<std::string> named_architectures() const override;
  Architecture named(const std::string& arch_name) const override;

  ModelSummary describe(const Architecture& arch, const TaskShape& task) const override;
  std::shared_ptr<Network> build(const Architecture& arch, const TaskShape& task) const override;

 private:
  Architecture make_architecture(std::vector<Choice> choices, const NasnetGenotype& genotype) const;
  NasnetGenotype genotype_of(const Architecture& arch) const;

  NasnetOptions options_;
};

}  // namespace nas
