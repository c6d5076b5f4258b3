#pragma once
// Trains and validates one architecture. No torch here: the run loop and the pool see only this.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/config_node.hpp"
#include "core/trial.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

// A candidate that cannot be evaluated (NaN loss, over the size cap, over its time, a shape error):
// it fails its trial, never the search. The message is the reason recorded in the log.
class TrialFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // Thread-safe: the pool calls it from several workers at once. Throws TrialFailure (or anything
  // else, also recorded as the trial's failure) when the trial fails. When `weights_file` is not
  // empty, an evaluator that trains saves the trained weights there (for `nas export`).
  virtual TrialMetrics evaluate(const Architecture& arch, std::uint64_t seed,
                                const std::string& weights_file = "") const = 0;
};

}  // namespace nas
