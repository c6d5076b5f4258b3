#include "experiments/post/model_export.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fault_injection.hpp"
#include "evaluators/evaluation/evaluator.hpp"
#include "evaluators/evaluation/pretrained_weights.hpp"
#include "experiments/log/kept_weights.hpp"
#include "experiments/log/logged_architecture.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/log/retrain_record.hpp"
#include "experiments/report/reevaluation_summary.hpp"
#include "experiments/run/experiment.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;

// The trial an export writes, and why that one (model.json's "chosen_by").
struct ChosenTrial {
  TrialRow row;
  std::string chosen_by;
};

// `reevaluated`: summarise_reevaluations(log); `retrained`: read_retrained_trials(log).
ChosenTrial chosen_trial(const SearchLog& log, const ExportOptions& options,
                         const std::vector<ReevaluationSummary>& reevaluated, const RetrainedTrials& retrained) {
  if (!options.trial) {
    // A re-evaluated run has measured its top trials over several seeds: the best mean is a better
    // choice than the one training that scored highest.
    if (!reevaluated.empty() && reevaluated.front().done > 0)
      return {log.trial(reevaluated.front().trial_id), "the best mean validation accuracy of the re-evaluation"};
    // Scores inherited from a supernet only rank candidates; the retrain phase measured what the best
    // of them reach trained from scratch, and the export writes the best of those.
    if (retrained.phase_done)
      if (const RetrainedTrial* best = retrained.best())
        return {log.trial(best->trial_id),
                "the best stand-alone validation accuracy of the retrain phase (trained from scratch)"};

    std::optional<TrialRow> best = log.best();
    if (!best) throw Error(options.run_dir, "has no successful trial to export");
    return {*best, "the best validation accuracy of the search"};
  }
  TrialRow row = log.trial(*options.trial);
  if (row.status != TrialStatus::done)
    throw Error("--trial " + std::to_string(row.id),
                "trial " + std::to_string(row.id) + " is " + to_string(row.status) + ", only done trials export");
  return {row, "--trial " + std::to_string(row.id)};
}

// The weights an export starts from, and where they came from as model.json says it.
struct ExportWeights {
  std::string file;  // empty: none (retrained here, or inherited)
  std::string source;
  Json details = Json::object();  // added to model.json's "weights"
  const RetrainedTrial* retrained = nullptr;  // the retrain phase's training, when its weights are these
  // With weight sharing, the run's supernet as the log holds it: `view` refers to it.
  std::unique_ptr<SharedWeights> supernet = nullptr;
  std::shared_ptr<const SharedWeightsView> view = nullptr;
};

std::string epochs_text(std::int64_t epochs) {
  return std::to_string(epochs) + (epochs == 1 ? " epoch" : " epochs");
}

// The run's shared weights restored from its log, when the evaluator's are a supernet that sub-networks
// inherit their weights from; nothing otherwise.
ExportWeights inherited_weights(const ExportOptions& options, const Evaluator& evaluator, const SearchLog& log) {
  ExportWeights weights;
  if (!evaluator.pretrains_shared_weights()) return weights;
  weights.supernet = evaluator.make_shared_weights();
  PretrainedWeights* pretrained = weights.supernet ? weights.supernet->pretraining() : nullptr;
  if (!pretrained) return ExportWeights{};
  weights.supernet->restore(log.run_state(weights.supernet->kind()));
  const int epochs = pretrained->epochs_done();
  if (epochs == 0) throw Error(options.run_dir, "holds no trained supernet for its sub-networks to inherit from");
  weights.view = weights.supernet->view();
  weights.source = "inherited from the supernet after " + epochs_text(epochs);
  weights.details = {{"supernet_epochs", epochs}};
  return weights;
}

// In this order: a retraining from scratch here, which needs none; the weights the retrain phase kept
// of the trial; the trial's own kept weights; when the search pruned them, those `nas reevaluate` kept
// of the trial's best repeat; with weight sharing, those it inherits from the run's supernet. Throws
// nas::Error when none is left.
ExportWeights export_weights(const ExportOptions& options, const TrialRow& row,
                             const std::vector<ReevaluationSummary>& reevaluated, const RetrainedTrials& retrained,
                             const Evaluator& evaluator, const SearchLog& log) {
  const std::string own = KeptWeights::path(options.run_dir, row.trained_by());
  if (options.retrain_epochs > 0) return {own, "retrained"};
  if (const RetrainedTrial* trained = retrained.find(row.trained_by())) {
    ExportWeights weights;
    weights.file = KeptWeights::retrained_path(options.run_dir, trained->trial_id);
    // A retrain phase of an nas that kept no weights left none: the trial's other weights serve.
    if (fs::exists(weights.file)) {
      weights.retrained = trained;
      weights.source = "retrained from scratch by the retrain phase";
      weights.details = {{"retrain_phase", {{"train_seconds", trained->train_seconds}}}};
      if (trained->epochs > 0) {
        weights.source = "retrained from scratch for " + epochs_text(trained->epochs) + " by the retrain phase";
        weights.details["retrain_phase"]["epochs"] = trained->epochs;
        if (trained->max_steps > 0) {
          weights.source += " (at most " + std::to_string(trained->max_steps) + " steps)";
          weights.details["retrain_phase"]["max_steps"] = trained->max_steps;
        }
      }
      return weights;
    }
  }
  if (fs::exists(own)) return {own, "search trial"};
  const auto repeats = std::find_if(reevaluated.begin(), reevaluated.end(),
                                    [&](const ReevaluationSummary& summary) { return summary.trial_id == row.id; });
  if (repeats != reevaluated.end() && repeats->best_repeat >= 0) {
    const std::string kept = KeptWeights::reevaluated_path(options.run_dir, row.id, repeats->best_repeat);
    if (fs::exists(kept))
      return {kept, "re-evaluation repeat " + std::to_string(repeats->best_repeat) + " (seed " +
                        std::to_string(repeats->best_repeat_seed) + ")"};
  }
  ExportWeights inherited = inherited_weights(options, evaluator, log);
  if (inherited.view) return inherited;
  throw Error(options.run_dir, "the trained weights of trial " + std::to_string(row.id) +
                                   " were not kept (a run keeps those of its evaluator.keep_weights best trials, "
                                   "nas reevaluate those of each trial's best repeat); retrain it with "
                                   "--retrain-epochs N");
}

Json describe_model(const RunInfo& info, const ChosenTrial& chosen, const ModelExportResult& result,
                    const ExportOptions& options, const ExportWeights& source) {
  const TrialRow& row = chosen.row;
  Json weights = result.weights;
  weights["source"] = source.source;
  weights.update(source.details);
  if (options.retrain_epochs > 0) {
    weights["retrain_epochs"] = options.retrain_epochs;
    weights["train_seconds"] = result.train_seconds;
  }
  Json metrics = row.metrics ? Json{{"val_accuracy", row.metrics->val_accuracy},
                                    {"val_loss", row.metrics->val_loss},
                                    {"madds", row.metrics->madds}}
                             : Json::object();
  if (source.retrained) {
    // The validation figures of the weights written, beside the search's score with inherited ones.
    metrics["val_accuracy"] = source.retrained->val_accuracy;
    metrics["val_loss"] = source.retrained->val_loss;
    metrics["inherited_val_accuracy"] = source.retrained->inherited_val_accuracy;
  }
  metrics.update(result.metrics);
  metrics["params"] = result.params;
  metrics["test_accuracy"] = result.test_accuracy;
  metrics["test_loss"] = result.test_loss;
  if (options.retrain_epochs > 0) metrics["val_note"] = "validation metrics are the search trial's; the retrained model saw the validation data";
  return Json{{"format", "nas-model/1"},
              {"nas_version", NAS_VERSION},
              {"run", {{"name", info.name}, {"directory", options.run_dir}, {"trial", row.id}, {"seed", row.seed}}},
              {"chosen_by", chosen.chosen_by},
              {"space", row.arch.value("space", "")},
              {"short_form", row.short_form},
              {"genotype", row.arch.value("genotype", Json())},
              {"architecture", row.arch},
              {"input", result.input},
              {"output", result.output},
              {"classes", result.classes},
              {"weights", weights},
              {"metrics", metrics}};
}

// Writes aside, then renames into place: a reader never sees half a file under the name.
void move_into_place(const std::string& partial, const std::string& path, const std::string& what) {
  if (std::rename(partial.c_str(), path.c_str()) != 0) throw Error(path, "cannot move the written " + what + " into place");
}

}  // namespace

std::string description_path(const std::string& model_file) {
  fs::path path(model_file);
  if (path.has_extension()) return path.replace_extension(".json").string();
  return model_file + ".json";
}

ExportOutcome export_model(const ExportOptions& options) {
  if (options.out.empty()) throw Error("--out", "name the TorchScript file to write, e.g. --out model.pt");
  if (options.retrain_epochs < 0) throw Error("--retrain-epochs", "must be >= 0");
  // The lock first: the export records into the log, and must not read a half-written run.
  SearchLog log = SearchLog::open(options.run_dir, SearchLog::Mode::read_write);
  const RunInfo info = log.info();
  const std::vector<ReevaluationSummary> reevaluated = summarise_reevaluations(log);
  const RetrainedTrials retrained = read_retrained_trials(log);
  const ChosenTrial chosen = chosen_trial(log, options, reevaluated, retrained);
  const TrialRow& row = chosen.row;
  const Experiment experiment = load_logged_experiment(info.experiment_json, log.path());
  const Evaluator& evaluator = *experiment.evaluator;
  if (!evaluator.exports_models())
    throw Error(options.run_dir, "nas export needs a run whose evaluator trains the models it exports (e.g. "
                                 "evaluator.name: train or node_classification); this run's evaluator trains "
                                 "nothing it could export");

  const ExportWeights weights = export_weights(options, row, reevaluated, retrained, evaluator, log);
  ModelExportRequest request;
  request.arch = rebuild_logged_architecture(row, *experiment.space, log.path());
  request.seed = row.seed;
  request.weights_file = weights.view ? std::string() : weights.file;
  request.retrain_epochs = options.retrain_epochs;
  request.shared_weights = weights.view;
  // A weight-sharing run trains stand-alone networks as its retrain: section says.
  if (experiment.config.retrain) request.retraining = experiment.config.retrain->trainer;

  ExportOutcome outcome;
  outcome.trial_id = row.id;
  outcome.model_file = options.out;
  outcome.description_file = description_path(options.out);
  // Both files are written aside and renamed into place once both are complete, so that each appears
  // whole under its name; an export that fails leaves neither (nor anything half-written) behind.
  const std::string model_partial = options.out + ".partial";
  const std::string description_partial = outcome.description_file + ".partial";
  ModelExportResult result;
  try {
    request.out = model_partial;
    result = evaluator.export_model(request);
    outcome.description = describe_model(info, chosen, result, options, weights);
    outcome.tested_on = result.tested_on;
    maybe_kill_at("export", 0);
    write_whole_file(description_partial, outcome.description.dump(2) + "\n");
    maybe_kill_at("export", 1);
    move_into_place(model_partial, options.out, "TorchScript file");
    try {
      maybe_kill_at("export", 2);
      move_into_place(description_partial, outcome.description_file, "model description");
    } catch (...) {
      std::error_code ignored;
      fs::remove(options.out, ignored);  // a model without its description would be read as another's
      throw;
    }
  } catch (...) {
    std::error_code ignored;
    fs::remove(model_partial, ignored);
    fs::remove(description_partial, ignored);
    throw;
  }
  // Only the commands that continue a run (resume, reevaluate) upgrade an older log; an export reads
  // it as it is, so the nas that wrote it can still open it, and says that it recorded nothing.
  maybe_kill_at("export", 3);
  outcome.recorded = log.stored_format_version() == SearchLog::format_version;
  if (outcome.recorded)
    log.record_export(ExportRecord{row.id, options.out, options.retrain_epochs, result.test_accuracy, result.test_loss, ""});
  return outcome;
}

}  // namespace nas
