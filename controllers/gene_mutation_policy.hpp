#pragma once
// Per-gene mutation, as the evolutionary searches of SPOS (Guo et al. 2019, p = 0.1) and ViT-ResNAS
// (Liao et al. 2021, p = 0.3): every decision (gene) of the parent is re-drawn with probability p,
// the others are kept. Generic over spaces: it walks the space's decisions and finds the parent's
// gene by key (recorded_genes.hpp).
#include <vector>

#include "controllers/recorded_genes.hpp"
#include "core/policy.hpp"

namespace nas {

class GeneMutationPolicy : public Policy {
 public:
  // `probability` in [0, 1]. Each walk through the space (a space wrapped in constraints walks the
  // policy again until it admits the result) makes a new mutant of the parent.
  GeneMutationPolicy(const std::vector<Choice>& parent, double probability, Rng& rng)
      : genes_(parent), probability_(probability), rng_(rng) {}

  // A gene the parent has (its label still an option) is kept, or with probability p re-drawn from
  // the decision's prior (uniform when it has none; it may land on the same option again, as in both
  // papers: the controller retries a child that equals its parent). A decision the parent never asked
  // (an earlier re-drawn gene changed which decisions follow) is drawn from its prior.
  std::size_t choose(const Decision& decision) override;

  // Decisions of the last walk that got another option than the parent's, or that the parent did not have.
  std::size_t changed() const { return changed_; }
  // Walks through the space so far.
  std::size_t walks() const { return walks_; }

 private:
  RecordedGenes genes_;
  double probability_;
  Rng& rng_;
  std::size_t changed_ = 0;
  std::size_t walks_ = 1;
};

}  // namespace nas
