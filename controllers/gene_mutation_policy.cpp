#include "controllers/gene_mutation_policy.hpp"

namespace nas {

std::size_t GeneMutationPolicy::choose(const Decision& decision) {
  if (genes_.opens_new_walk(decision.key)) {  // a wrapped space draws again: a fresh mutant of the parent
    genes_.restart();
    changed_ = 0;
    ++walks_;
  }
  const auto kept = gene_option(decision, genes_.next(decision.key));
  if (!kept) {
    ++changed_;
    return draw_from_prior(decision, rng_);
  }
  if (rng_.uniform() < probability_) {
    const std::size_t drawn = draw_from_prior(decision, rng_);
    changed_ += drawn != *kept;
    return drawn;
  }
  return *kept;
}

}  // namespace nas
