#pragma once
// Re-evaluation as people see it, shared by `nas reevaluate` and the `reevaluate` phase of a run: a
// line per finished training as it ends, then what was trained and the table of means and the choice.
#include <functional>
#include <iosfwd>

#include "experiments/post/reevaluation.hpp"

namespace nas {

// Prints "nas: trial 3 repeat 1: val_acc 0.8120 (12.3 s)" (or why it failed) to `out`; prints nothing
// when `out` is null.
std::function<void(const ReevaluationRow&)> repeat_printer(std::ostream* out);

// "trained 6 repeats (0 were already in the log)" and the table (reevaluation_text).
void print_reevaluation(std::ostream& out, const ReevaluateOutcome& outcome);

}  // namespace nas
