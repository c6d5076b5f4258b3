// The `retrain` phase: after a weight-sharing search, trains the `top` best sub-networks (by the
// validation accuracy they scored with inherited weights) from scratch, as stand-alone networks with
// the `retrain:` section's training, and says how well the inherited ranking predicted the
// stand-alone one (Kendall's tau). Each training runs from its trial's own seed, so its figures depend
// on the architecture and seed alone; they run on the run's workers (evaluator.workers). It keeps each trained network's weights in
// DIR/weights/retrained-trial-<id>.pt (KeptWeights::retrained_path), which `nas export` writes. Its
// state (experiments/log/retrain_record.hpp) is checkpointed after each training, so that a resumed run
// trains only those missing.
//
// Its summary (PhaseEnd::summary): {"trained" (this session), "retrained", "kendall_tau"}.
#include <iomanip>
#include <map>
#include <ostream>
#include <set>

#include "core/config_node.hpp"
#include "evaluators/evaluation/evaluator_registry.hpp"
#include "evaluators/evaluation/trial_runner.hpp"
#include "evaluators/training/trainer_options.hpp"
#include "experiments/log/kept_weights.hpp"
#include "experiments/log/logged_architecture.hpp"
#include "experiments/log/retrain_record.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/run/experiment.hpp"
#include "experiments/run/phase.hpp"
#include "experiments/run/phase_runner.hpp"

namespace nas {
namespace {

constexpr const char* kPhaseName = kRetrainPhase;

class RetrainPhase : public Phase {
 public:
  void prepare(PhaseContext& context) override {
    retrained_ = read_retrained_trials(context.log);
  }

  PhaseEnd run(PhaseContext& context) override {
    const Experiment& experiment = context.experiment;
    const RetrainPlan& plan = *experiment.config.retrain;
    const RunConsole& console = context.console;
    SearchLog& log = context.log;
    PhaseEnd end;
    const std::vector<TrialRow> best = log.top_trained_trials(plan.top);
    if (best.empty()) {
      if (console.notes) *console.notes << "nas: nothing to retrain: no trial of the search succeeded\n";
      end.done = false;
      return end;
    }
    std::set<std::int64_t> done;
    for (const RetrainedTrial& trial : retrained_.trials) done.insert(trial.trial_id);

    // The `train` evaluator on the run's own data, with the retrain section's training.
    Json trainer = plan.trainer;
    trainer["name"] = kDefaultEvaluator;
    const Json sections{{"dataset", experiment.config.effective.value("dataset", Json::object())},
                        {"evaluator", trainer}};
    const ConfigNode root = ConfigNode::parse(sections.dump(2), log.path() + " (retrain)");
    const ConfigNode no_supernet = root.section("supernet");
    const std::unique_ptr<Evaluator> evaluator = make_evaluator(
        EvaluatorSections{root.section("dataset"), root.section("evaluator"), no_supernet}, *experiment.space,
        experiment.config.seed);
    // Recorded with each training, for `nas export` to say how the weights it writes were trained.
    const TrainerOptions training = read_trainer_options(root.section("evaluator"));

    if (console.notes)
      *console.notes << "nas: retraining the best " << best.size()
                     << " sub-networks from scratch (the experiment's retrain: section)\n";
    // The trainings go through the run's trial runner, on its workers, as a re-evaluation's do.
    std::vector<TrialRequest> pending;
    std::map<std::int64_t, RetrainedTrial> entries;  // by trial id, the request's id
    for (const TrialRow& row : best) {
      if (done.count(row.id)) continue;
      RetrainedTrial entry;
      entry.trial_id = row.id;
      entry.seed = row.seed;
      entry.inherited_val_accuracy = row.metrics ? row.metrics->val_accuracy : 0.0;
      entry.epochs = training.epochs;
      entry.max_steps = training.max_steps;
      entries[row.id] = entry;
      // The evaluator writes the weights aside and renames them into place (save_network_weights): a
      // run killed mid-write leaves no half-written file under the name, and the entry is checkpointed
      // only after the file is complete.
      pending.push_back(TrialRequest{row.id, rebuild_logged_architecture(row, *experiment.space, log.path()),
                                     row.seed, KeptWeights::retrained_path(context.run_dir, row.id), nullptr});
    }
    Json recipe_sections = sections;
    recipe_sections["space"] = experiment.config.effective.value("space", Json::object());
    const std::unique_ptr<TrialRunner> runner =
        make_phase_runner(experiment.config, *evaluator, recipe_sections, context.run_dir);
    std::size_t next = 0;
    int trained = 0;
    while (next < pending.size() || runner->in_flight() > 0) {
      while (next < pending.size() && runner->in_flight() < static_cast<std::size_t>(runner->capacity()))
        runner->submit(pending[next++]);
      const TrialResult finished = runner->wait_next();
      RetrainedTrial entry = entries.at(finished.id);
      // A candidate that fails its training fails its entry, never the run.
      entry.done = finished.status == TrialStatus::done;
      if (entry.done) {
        entry.val_accuracy = finished.metrics.val_accuracy;
        entry.val_loss = finished.metrics.val_loss;
        entry.params = finished.metrics.params;
        entry.train_seconds = finished.metrics.train_seconds;
      } else {
        entry.error = finished.error.substr(0, 500);
      }
      retrained_.trials.push_back(entry);
      log.checkpoint_phase(kPhaseName, retrained_.state(), {});
      ++trained;
      if (console.progress) {
        *console.progress << "nas: retrained trial " << entry.trial_id << ": ";
        if (entry.done)
          *console.progress << "val_accuracy " << std::fixed << std::setprecision(4) << entry.val_accuracy
                            << " (inherited " << entry.inherited_val_accuracy << ")" << std::defaultfloat << "\n";
        else
          *console.progress << "failed: " << entry.error << "\n";
      }
    }
    if (console.out) *console.out << retrained_trials_text(retrained_);
    // No outcome: the run's status stays the search's ("finished", "stopped: budget.hours reached").
    const std::optional<double> tau = retrained_.kendall_tau();
    end.summary = Json{{"trained", trained}, {"retrained", retrained_.trials.size()}, {"kendall_tau", tau ? Json(*tau) : Json()}};
    return end;
  }

 private:
  RetrainedTrials retrained_;
};

const bool registered = phase_registry().add(
    kPhaseName, PhaseKind{40, [](const ExperimentConfig& config) { return config.retrain.has_value(); },
                          {"retrain.*"}, [] { return std::make_unique<RetrainPhase>(); }});

}  // namespace
}  // namespace nas
