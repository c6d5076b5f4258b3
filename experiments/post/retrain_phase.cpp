// The `retrain` phase: after a weight-sharing search, trains the `top` best sub-networks (by the
// validation accuracy they scored with inherited weights) from scratch, as stand-alone networks with
// the `retrain:` section's training, and says how well the inherited ranking predicted the
// stand-alone one (Kendall's tau). Each training runs from its trial's own seed, so its figures depend
// on the architecture and seed alone. It keeps each trained network's weights in
// DIR/weights/retrained-trial-<id>.pt (KeptWeights::retrained_path), which `nas export` writes. Its
// state, checkpointed after each training so that a resumed run trains only those missing (read by
// retrained_trials.hpp):
//   {"retrained": [{"trial", "seed", "inherited_val_accuracy", "epochs", "max_steps", "status",
//                   "val_accuracy", "val_loss", "params", "train_seconds", "error"}...],
//    "kendall_tau": tau or null}
//
// Its summary (PhaseEnd::summary): {"trained" (this session), "retrained", "kendall_tau"}.
#include <iomanip>
#include <ostream>
#include <set>

#include "core/config_node.hpp"
#include "core/statistics.hpp"
#include "evaluators/evaluation/evaluator_registry.hpp"
#include "evaluators/training/trainer_options.hpp"
#include "experiments/log/kept_weights.hpp"
#include "experiments/log/logged_architecture.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/post/retrained_trials.hpp"
#include "experiments/run/experiment.hpp"
#include "experiments/run/phase.hpp"

namespace nas {
namespace {

constexpr const char* kPhaseName = kRetrainPhase;

Json tau_of(const Json& retrained) {
  std::vector<double> inherited, standalone;
  for (const Json& entry : retrained)
    if (entry.value("status", "") == "done") {
      inherited.push_back(entry.at("inherited_val_accuracy").get<double>());
      standalone.push_back(entry.at("val_accuracy").get<double>());
    }
  const std::optional<double> tau = kendall_tau(inherited, standalone);
  return tau ? Json(*tau) : Json();
}

class RetrainPhase : public Phase {
 public:
  void prepare(PhaseContext& context) override {
    retrained_ = Json::array();
    for (const PhaseRow& row : context.log.phases())
      if (row.name == kPhaseName && row.state.is_object() && row.state.contains("retrained"))
        retrained_ = row.state.at("retrained");
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
    for (const Json& entry : retrained_) done.insert(entry.at("trial").get<std::int64_t>());

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
    int trained = 0;
    for (const TrialRow& row : best) {
      if (done.count(row.id)) continue;
      const Architecture arch = rebuild_logged_architecture(row, *experiment.space, log.path());
      Json entry{{"trial", row.id},
                 {"seed", row.seed},
                 {"inherited_val_accuracy", row.metrics ? row.metrics->val_accuracy : 0.0},
                 {"epochs", training.epochs},
                 {"max_steps", training.max_steps}};
      try {
        // The evaluator writes the weights aside and renames them into place (save_network_weights): a
        // run killed mid-write leaves no half-written file under the name, and the entry is
        // checkpointed only after the file is complete.
        const Evaluation evaluation = evaluator->evaluate(
            TrialRequest{row.id, arch, row.seed, KeptWeights::retrained_path(context.run_dir, row.id), nullptr});
        entry["status"] = "done";
        entry["val_accuracy"] = evaluation.metrics.val_accuracy;
        entry["val_loss"] = evaluation.metrics.val_loss;
        entry["params"] = evaluation.metrics.params;
        entry["train_seconds"] = evaluation.metrics.train_seconds;
      } catch (const std::exception& e) {
        // A candidate that fails its training fails its entry, never the run.
        entry["status"] = "failed";
        entry["error"] = std::string(e.what()).substr(0, 500);
      }
      retrained_.push_back(entry);
      log.checkpoint_phase(kPhaseName, Json{{"retrained", retrained_}, {"kendall_tau", tau_of(retrained_)}}, {});
      ++trained;
      if (console.progress) {
        *console.progress << "nas: retrained trial " << row.id << ": ";
        if (entry["status"] == "done")
          *console.progress << "val_accuracy " << std::fixed << std::setprecision(4)
                            << entry["val_accuracy"].get<double>() << " (inherited "
                            << entry["inherited_val_accuracy"].get<double>() << ")" << std::defaultfloat << "\n";
        else
          *console.progress << "failed: " << entry["error"].get<std::string>() << "\n";
      }
    }
    const Json tau = tau_of(retrained_);
    if (console.out) print_table(*console.out, tau);
    // No outcome: the run's status stays the search's ("finished", "stopped: budget.hours reached").
    end.summary = Json{{"trained", trained}, {"retrained", retrained_.size()}, {"kendall_tau", tau}};
    return end;
  }

 private:
  void print_table(std::ostream& out, const Json& tau) const {
    out << "retrained from scratch (inherited = scored with the supernet's weights):\n"
        << "    trial  inherited  stand-alone\n";
    for (const Json& entry : retrained_) {
      out << std::setw(9) << entry.at("trial").get<std::int64_t>() << std::fixed << std::setprecision(4)
          << std::setw(11) << entry.at("inherited_val_accuracy").get<double>();
      if (entry.value("status", "") == "done") out << std::setw(13) << entry.at("val_accuracy").get<double>();
      else out << "       failed";
      out << std::defaultfloat << "\n";
    }
    out << "Kendall tau, inherited vs stand-alone validation accuracy: ";
    if (tau.is_null()) out << "undefined (fewer than two retrained, or all equal)\n";
    else out << std::fixed << std::setprecision(3) << tau.get<double>() << std::defaultfloat << "\n";
  }

  Json retrained_ = Json::array();
};

const bool registered = phase_registry().add(
    kPhaseName, PhaseKind{40, [](const ExperimentConfig& config) { return config.retrain.has_value(); },
                          {"retrain.*"}, [] { return std::make_unique<RetrainPhase>(); }});

}  // namespace
}  // namespace nas
