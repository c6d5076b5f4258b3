// The `supernet` phase: before the search, trains the run's supernet (the shared weights of an
// evaluator that scores sub-networks with inherited weights) for supernet.epochs epochs. After every
// epoch it checkpoints, in one transaction, the supernet's changed records (weights, optimizer,
// progress) and its own state, the training curve: {"epochs_done": N, "curve": [{"epoch", "train_loss",
// "train_accuracy", "examples", "steps", "seconds", "lr"}...]}. A run killed mid-epoch resumes from
// the last epoch it finished; each epoch's randomness derives from the seed and the epoch number, so
// the resumed run ends with the weights of the uninterrupted one. A resume that asks for more epochs
// (--set supernet.epochs=N) reopens it, and the search after it.
//
// Its summary (PhaseEnd::summary): {"epochs_trained" (this session), "epochs_done", "epochs"}.
#include <iomanip>
#include <ostream>

#include "core/error.hpp"
#include "evaluators/evaluation/pretrained_weights.hpp"
#include "evaluators/evaluation/pretraining_team.hpp"
#include "evaluators/evaluation/shared_weights.hpp"
#include "evaluators/training/intra_op_threads.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/run/experiment.hpp"
#include "experiments/run/phase.hpp"
#include "experiments/run/phase_runner.hpp"

namespace nas {
namespace {

constexpr const char* kPhaseName = "supernet";

class SupernetPhase : public Phase {
 public:
  void prepare(PhaseContext& context) override {
    if (!context.shared_weights || !context.shared_weights->pretraining())
      throw Error(context.log.path(), "the run has a supernet phase, but its evaluator (evaluator.name) trains no "
                                      "supernet; use evaluator.name: inherited");
    curve_ = Json::array();
    for (const PhaseRow& row : context.log.phases())
      if (row.name == kPhaseName && row.state.is_object() && row.state.contains("curve"))
        curve_ = row.state.at("curve");
    const PretrainedWeights& weights = *context.shared_weights->pretraining();
    // The curve and the weights are checkpointed together, so they agree unless the log was edited.
    if (curve_.size() != static_cast<std::size_t>(weights.epochs_done()))
      throw Error(context.log.path(), "the supernet phase's curve holds " + std::to_string(curve_.size()) +
                                          " epochs but its checkpointed weights " +
                                          std::to_string(weights.epochs_done()) + ": the log is inconsistent");
  }

  PhaseEnd run(PhaseContext& context) override {
    SharedWeights& shared = *context.shared_weights;
    PretrainedWeights& weights = *shared.pretraining();
    const RunConsole& console = context.console;
    const int planned = weights.epochs_planned();
    if (console.notes) {
      if (weights.epochs_done() > 0)
        *console.notes << "nas: supernet: resuming after epoch " << weights.epochs_done() << " of " << planned << "\n";
      else
        *console.notes << "nas: supernet: training " << planned << " epochs before the search\n";
    }
    // The run's whole thread budget: no trial trains beside the supernet. A resume with other
    // evaluator.workers or threads_per_worker may round differently, so it continues the same training
    // but not bit for bit.
    const RunnerOptions& runner = context.experiment.config.runner;
    const IntraOpThreadsScope threads(runner.workers * runner.threads_per_worker);
    // Alone on one machine; with the other ranks of an MPI job, each epoch data-parallel over them.
    const ExperimentConfig& config = context.experiment.config;
    const std::unique_ptr<PretrainingTeam> team =
        weights.epochs_done() < planned
            ? make_pretraining_team(process_runner_kind(), weights.state(),
                                    phase_runner_options(config, evaluator_sections(config.effective), context.run_dir))
            : nullptr;
    int trained = 0;
    while (weights.epochs_done() < planned) {
      team->start_epoch();
      PretrainingEpoch epoch = weights.train_epoch(team->data_parallel());
      Json point = epoch.figures;
      point["epoch"] = epoch.epoch + 1;
      curve_.push_back(point);
      context.log.checkpoint_phase(kPhaseName, Json{{"epochs_done", weights.epochs_done()}, {"curve", curve_}},
                                   StateChanges{shared.kind(), std::move(epoch.records)});
      ++trained;
      if (console.progress)
        *console.progress << "nas: supernet epoch " << epoch.epoch + 1 << "/" << planned << ": loss " << std::fixed
                          << std::setprecision(4) << point.value("train_loss", 0.0) << ", train accuracy "
                          << point.value("train_accuracy", 0.0) << ", " << std::setprecision(1)
                          << point.value("seconds", 0.0) << " s\n"
                          << std::defaultfloat;
    }
    PhaseEnd end;
    // No outcome: a phase's outcome becomes the run's status, which the search gives.
    end.summary = Json{{"epochs_trained", trained}, {"epochs_done", weights.epochs_done()}, {"epochs", planned}};
    return end;
  }

 private:
  Json curve_ = Json::array();
};

const bool registered = phase_registry().add(
    kPhaseName, PhaseKind{10, [](const ExperimentConfig& config) { return config.trains_supernet; },
                          {"supernet.epochs"}, [] { return std::make_unique<SupernetPhase>(); }});

}  // namespace
}  // namespace nas
