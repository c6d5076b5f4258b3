#pragma once
// One evaluation of `arch` from `seed`, trained from scratch with no weights kept: what most evaluator
// tests ask, without spelling out a whole TrialRequest.
#include <cstdint>

#include "evaluators/evaluation/evaluator.hpp"

namespace nas::testing {

inline TrialMetrics evaluate_once(const Evaluator& evaluator, const Architecture& arch, std::uint64_t seed) {
  return evaluator.evaluate(TrialRequest{0, arch, seed, "", nullptr}).metrics;
}

}  // namespace nas::testing
