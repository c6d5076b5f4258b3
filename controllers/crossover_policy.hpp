#pragma once
// Uniform crossover, as in the evolutionary searches of SPOS (Guo et al. 2019) and ViT-ResNAS (Liao
// et al. 2021): each decision (gene) of the child is taken from the second parent with probability p,
// from the first otherwise. Generic over spaces: it walks the space's decisions and finds each
// parent's gene by key (recorded_genes.hpp).
#include <vector>

#include "controllers/recorded_genes.hpp"
#include "core/policy.hpp"

namespace nas {

class CrossoverPolicy : public Policy {
 public:
  // `probability` in [0, 1]: of taking a gene from `second`. Each walk through the space (a space
  // wrapped in constraints walks the policy again until it admits the result) makes a new child.
  CrossoverPolicy(const std::vector<Choice>& first, const std::vector<Choice>& second, double probability, Rng& rng)
      : first_(first), second_(second), probability_(probability), rng_(rng) {}

  // One coin per decision: heads takes the second parent's gene where its label is an option of the
  // decision, else the first's; tails takes the first's where it is an option, else the second's.
  // A decision neither parent has with a fitting label (spaces whose decisions depend on earlier
  // ones) is drawn from its prior.
  std::size_t choose(const Decision& decision) override;

  std::size_t from_second() const { return from_second_; }  // genes the second parent gave (last walk)
  std::size_t drawn() const { return drawn_; }              // genes neither parent could give (last walk)
  std::size_t walks() const { return walks_; }              // walks through the space so far

 private:
  RecordedGenes first_;
  RecordedGenes second_;
  double probability_;
  Rng& rng_;
  std::size_t from_second_ = 0;
  std::size_t drawn_ = 0;
  std::size_t walks_ = 1;
};

}  // namespace nas
