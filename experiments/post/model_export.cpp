#include "experiments/post/model_export.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "evaluators/evaluation/evaluator.hpp"
#include "experiments/log/kept_weights.hpp"
#include "experiments/log/logged_architecture.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/report/reevaluation_summary.hpp"
#include "experiments/run/experiment.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;

// `reevaluated`: summarise_reevaluations(log).
TrialRow chosen_trial(const SearchLog& log, const ExportOptions& options,
                      const std::vector<ReevaluationSummary>& reevaluated) {
  if (!options.trial) {
    // A re-evaluated run has measured its top trials over several seeds: the best mean is a better
    // choice than the one training that scored highest.
    if (!reevaluated.empty() && reevaluated.front().done > 0) return log.trial(reevaluated.front().trial_id);

    std::optional<TrialRow> best = log.best();
    if (!best) throw Error(options.run_dir, "has no successful trial to export");
    return *best;
  }
  TrialRow row = log.trial(*options.trial);
  if (row.status != TrialStatus::done)
    throw Error("--trial " + std::to_string(row.id),
                "trial " + std::to_string(row.id) + " is " + to_string(row.status) + ", only done trials export");
  return row;
}

// `weights_source`: ExportWeights::source.
Json describe_model(const RunInfo& info, const TrialRow& row, const ModelExportResult& result,
                    const ExportOptions& options, const std::string& weights_source) {
  Json weights = result.weights;
  weights["source"] = weights_source;
  if (options.retrain_epochs > 0) {
    weights["retrain_epochs"] = options.retrain_epochs;
    weights["train_seconds"] = result.train_seconds;
  }
  Json metrics = row.metrics ? Json{{"val_accuracy", row.metrics->val_accuracy},
                                    {"val_loss", row.metrics->val_loss},
                                    {"madds", row.metrics->madds}}
                             : Json::object();
  metrics.update(result.metrics);
  metrics["params"] = result.params;
  metrics["test_accuracy"] = result.test_accuracy;
  metrics["test_loss"] = result.test_loss;
  if (options.retrain_epochs > 0) metrics["val_note"] = "validation metrics are the search trial's; the retrained model saw the validation data";
  return Json{{"format", "nas-model/1"},
              {"nas_version", NAS_VERSION},
              {"run", {{"name", info.name}, {"directory", options.run_dir}, {"trial", row.id}, {"seed", row.seed}}},
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

// The weights an export starts from, and where they came from as model.json says it.
struct ExportWeights {
  std::string file;
  std::string source;
};

// The trial's own kept weights; when the search pruned them, those `nas reevaluate` kept of the trial's
// best repeat. A retraining starts from scratch and needs neither. Throws nas::Error when none is left.
ExportWeights export_weights(const ExportOptions& options, const TrialRow& row,
                             const std::vector<ReevaluationSummary>& reevaluated) {
  const std::string own = KeptWeights::path(options.run_dir, row.trained_by());
  if (options.retrain_epochs > 0) return {own, "retrained"};
  if (fs::exists(own)) return {own, "search trial"};
  const auto repeats = std::find_if(reevaluated.begin(), reevaluated.end(),
                                    [&](const ReevaluationSummary& summary) { return summary.trial_id == row.id; });
  if (repeats != reevaluated.end() && repeats->best_repeat >= 0) {
    const std::string kept = KeptWeights::reevaluated_path(options.run_dir, row.id, repeats->best_repeat);
    if (fs::exists(kept))
      return {kept, "re-evaluation repeat " + std::to_string(repeats->best_repeat) + " (seed " +
                        std::to_string(repeats->best_repeat_seed) + ")"};
  }
  throw Error(options.run_dir, "the trained weights of trial " + std::to_string(row.id) +
                                   " were not kept (a run keeps those of its evaluator.keep_weights best trials, "
                                   "nas reevaluate those of each trial's best repeat); retrain it with "
                                   "--retrain-epochs N");
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
  const TrialRow row = chosen_trial(log, options, reevaluated);
  const Experiment experiment = load_logged_experiment(info.experiment_json, log.path());
  const Evaluator& evaluator = *experiment.evaluator;
  if (!evaluator.exports_models())
    throw Error(options.run_dir, "nas export needs a run whose evaluator trains the models it exports (e.g. "
                                 "evaluator.name: train or node_classification); this run's evaluator trains "
                                 "nothing it could export");

  const ExportWeights weights = export_weights(options, row, reevaluated);
  ModelExportRequest request;
  request.arch = rebuild_logged_architecture(row, *experiment.space, log.path());
  request.seed = row.seed;
  request.weights_file = weights.file;
  request.retrain_epochs = options.retrain_epochs;
  request.out = options.out;
  const ModelExportResult result = evaluator.export_model(request);

  ExportOutcome outcome;
  outcome.trial_id = row.id;
  outcome.model_file = options.out;
  outcome.description_file = description_path(options.out);
  outcome.description = describe_model(info, row, result, options, weights.source);
  outcome.tested_on = result.tested_on;
  std::ofstream description(outcome.description_file);
  description << outcome.description.dump(2) << "\n";
  if (!description) throw Error(outcome.description_file, "cannot write the model description");
  // Only the commands that continue a run (resume, reevaluate) upgrade an older log; an export reads
  // it as it is, so the nas that wrote it can still open it, and says that it recorded nothing.
  outcome.recorded = log.stored_format_version() == SearchLog::format_version;
  if (outcome.recorded)
    log.record_export(ExportRecord{row.id, options.out, options.retrain_epochs, result.test_accuracy, result.test_loss, ""});
  return outcome;
}

}  // namespace nas
