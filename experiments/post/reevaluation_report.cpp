#include "experiments/post/reevaluation_report.hpp"

#include <iomanip>
#include <ostream>
#include <sstream>

namespace nas {

std::function<void(const ReevaluationRow&)> repeat_printer(std::ostream* out) {
  if (!out) return nullptr;
  return [out](const ReevaluationRow& row) {
    std::ostringstream line;
    line << "nas: trial " << row.trial_id << " repeat " << row.repeat << ": ";
    if (row.status == TrialStatus::done)
      line << std::fixed << std::setprecision(4) << "val_acc " << row.metrics.val_accuracy << " ("
           << std::setprecision(1) << row.metrics.train_seconds << " s)\n";
    else
      line << "failed: " << row.error << "\n";
    *out << line.str() << std::flush;
  };
}

void print_reevaluation(std::ostream& out, const ReevaluateOutcome& outcome) {
  if (outcome.upgrade) out << describe_upgrade(*outcome.upgrade) << "\n";
  out << "trained " << outcome.trained << " repeats (" << outcome.already_recorded << " were already in the log)\n"
      << reevaluation_text(outcome.summaries);
}

}  // namespace nas
