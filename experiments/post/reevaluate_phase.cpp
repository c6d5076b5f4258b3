// The `reevaluate` phase: after the search, an experiment's `reevaluate:` section retrains the best
// trials from fresh seeds and chooses by the mean (as `nas reevaluate` does), on the run's own log.
// Its progress is the repeats the log holds, so a resumed run trains only those still missing, and a
// resume that asks for more repeats (--set reevaluate.repeats=N) reopens it.
//
// Its summary (PhaseEnd::summary): {"trained", "already_recorded", "chosen_trial" (or null)}.
#include <ostream>

#include "experiments/log/search_log.hpp"
#include "experiments/post/reevaluation.hpp"
#include "experiments/post/reevaluation_report.hpp"
#include "experiments/run/experiment.hpp"
#include "experiments/run/phase.hpp"

namespace nas {
namespace {

class ReevaluatePhase : public Phase {
 public:
  PhaseEnd run(PhaseContext& context) override {
    const ReevaluationPlan& plan = *context.experiment.config.reevaluation;
    const RunConsole& console = context.console;
    PhaseEnd end;
    if (context.log.top_trained_trials(1).empty()) {
      if (console.notes) *console.notes << "nas: nothing to re-evaluate: no trial of the search succeeded\n";
      end.done = false;
      return end;
    }
    if (console.notes)
      *console.notes << "nas: re-evaluating the best " << plan.top << " trials, " << plan.repeats
                     << " trainings each from fresh seeds (the experiment's reevaluate: section)\n";
    const ReevaluateOutcome outcome = reevaluate(context.log, &context.experiment, context.run_dir, plan,
                                                 repeat_printer(console.progress));
    if (console.out) print_reevaluation(*console.out, outcome);
    const bool chosen = !outcome.summaries.empty() && outcome.summaries.front().done > 0;
    end.summary = Json{{"trained", outcome.trained},
                       {"already_recorded", outcome.already_recorded},
                       {"chosen_trial", chosen ? Json(outcome.summaries.front().trial_id) : Json()}};
    return end;
  }
};

const bool registered = phase_registry().add(
    "reevaluate", PhaseKind{30, [](const ExperimentConfig& config) { return config.reevaluation.has_value(); },
                            {"reevaluate.*"}, [] { return std::make_unique<ReevaluatePhase>(); }});

}  // namespace
}  // namespace nas
