#include "cli/reevaluation_report.hpp"

#include <iomanip>
#include <iostream>

namespace nas {

void reevaluate_and_report(ReevaluateOptions options, bool quiet) {
  options.on_repeat = nullptr;
  if (!quiet)
    options.on_repeat = [](const ReevaluationRow& row) {
      std::cerr << "nas: trial " << row.trial_id << " repeat " << row.repeat << ": ";
      if (row.status == TrialStatus::done)
        std::cerr << std::fixed << std::setprecision(4) << "val_acc " << row.metrics.val_accuracy << " ("
                  << std::setprecision(1) << row.metrics.train_seconds << " s)\n";
      else
        std::cerr << "failed: " << row.error << "\n";
    };
  const ReevaluateOutcome outcome = reevaluate(options);
  std::cout << "trained " << outcome.trained << " repeats (" << outcome.already_recorded
            << " were already in the log)\n"
            << reevaluation_text(outcome.summaries);
}

void reevaluate_after_search(const ReevaluationPlan& plan, const std::string& run_dir, bool quiet) {
  std::cerr << "nas: re-evaluating the best " << plan.top << " trials, " << plan.repeats
            << " trainings each from fresh seeds (the experiment's reevaluate: section)\n";
  reevaluate_and_report(ReevaluateOptions{plan, run_dir, nullptr}, quiet);
}

}  // namespace nas
