#include "controllers/crossover_policy.hpp"

namespace nas {

std::size_t CrossoverPolicy::choose(const Decision& decision) {
  // Both parents open their walks with the same key; a wrapped space drawing again gets a fresh child.
  if (first_.opens_new_walk(decision.key) | second_.opens_new_walk(decision.key)) {
    first_.restart();
    second_.restart();
    from_second_ = drawn_ = 0;
    ++walks_;
  }
  // Both parents advance on every decision, so that a key asked twice stays matched occurrence by occurrence.
  const auto first = gene_option(decision, first_.next(decision.key));
  const auto second = gene_option(decision, second_.next(decision.key));
  const bool take_second = rng_.uniform() < probability_;
  if (second && (take_second || !first)) {
    ++from_second_;
    return *second;
  }
  if (first) return *first;
  ++drawn_;
  return draw_from_prior(decision, rng_);
}

}  // namespace nas
