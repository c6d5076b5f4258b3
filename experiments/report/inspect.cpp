#include "experiments/report/inspect.hpp"

#include <map>
#include <optional>
#include <set>
#include <vector>

#include "core/error.hpp"
#include "core/statistics.hpp"
#include "experiments/report/phases_view.hpp"
#include "experiments/report/weight_sharing_view.hpp"
#include "experiments/report/reevaluation_summary.hpp"
#include "experiments/report/text_format.hpp"

namespace nas {
namespace {

constexpr std::size_t kTableWidth = 120;

Json trial_json(const TrialRow& row) {
  Json trial = Json::object();
  trial["id"] = row.id;
  trial["status"] = to_string(row.status);
  trial["arch"] = row.arch;
  if (row.metrics) {
    trial["metrics"] = to_json(*row.metrics);
    if (row.metrics->reported.empty()) trial["metrics"].erase("reported");
  } else {
    trial["metrics"] = nullptr;
  }
  trial["error"] = row.error.empty() ? Json(nullptr) : Json(row.error);
  trial["reused_from"] = row.reused_from < 0 ? Json(nullptr) : Json(row.reused_from);
  trial["trained_on"] = row.trained_on.empty() ? Json(nullptr) : Json(row.trained_on);
  return trial;
}

// Cuts to at most `width` bytes, ending in "..." when cut, and never inside a UTF-8 character.
std::string truncated(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  const std::string ellipsis = "...";
  std::size_t end = width > ellipsis.size() ? width - ellipsis.size() : 0;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + ellipsis;
}

std::string metrics_summary(const TrialRow& row) {
  return printf_string("trial %lld: val_acc %.4f, params %s, madds %s",
                       static_cast<long long>(row.id), row.metrics->val_accuracy,
                       abbreviated_count(row.metrics->params).c_str(),
                       abbreviated_count(row.metrics->madds).c_str());
}

// "2026-11-26T14:12:05Z (1.5 s after proposal)", or "not yet".
std::string moment_text(const std::optional<double>& at, double since, const char* since_what) {
  if (!at) return "not yet";
  return utc_time_text(*at) + printf_string(" (%.1f s after %s)", *at - since, since_what);
}

// "rank 1 on node7: 57 trials, rank 2 on node8: 56 trials" for a run whose trials trained on the ranks
// of an MPI job; empty when every trial trained on the machine that ran the search.
std::string trained_on_text(const std::vector<TrialRow>& trials) {
  std::map<std::string, std::int64_t> count;
  for (const TrialRow& row : trials)
    if (!row.trained_on.empty()) ++count[row.trained_on];
  std::string text;
  for (const auto& [where, trained] : count)
    text += (text.empty() ? "" : ", ") + where + ": " + std::to_string(trained) + (trained == 1 ? " trial" : " trials");
  return text;
}

std::string count_text(std::int64_t count) { return std::to_string(count) + " (" + abbreviated_count(count) + ")"; }

std::string top_table(const std::vector<TrialRow>& top, std::int64_t done) {
  const char* row_format = "%6s  %8s  %8s  %8s  %8s  ";
  const std::string header = printf_string(row_format, "id", "val_acc", "params", "madds", "train_s");
  const std::size_t genotype_width = kTableWidth - header.size();
  std::string table = printf_string("Top %zu of %lld done trials by validation accuracy:\n",
                                    top.size(), static_cast<long long>(done));
  table += header + "genotype\n";
  for (const auto& row : top) {
    table += printf_string(row_format, std::to_string(row.id).c_str(),
                           printf_string("%.4f", row.metrics->val_accuracy).c_str(),
                           abbreviated_count(row.metrics->params).c_str(),
                           abbreviated_count(row.metrics->madds).c_str(),
                           printf_string("%.1f", row.metrics->train_seconds).c_str());
    table += truncated(row.short_form, genotype_width) + "\n";
  }
  return table;
}

// The architectures of the table that the run trained more than once (a confirming climb trains a
// child that beat the best again), with the mean the climb judged them by: the single training the
// table ranks by can be the lucky one. Empty when there are none.
std::string repeated_trainings_text(const std::vector<TrialRow>& top, const std::vector<TrialRow>& trials) {
  struct Trainings {
    std::vector<double> val_accuracy;
    std::string ids;
  };
  std::map<std::string, Trainings> trainings;  // by architecture hash
  for (const TrialRow& row : trials) {
    if (row.status != TrialStatus::done || row.reused_from >= 0) continue;
    Trainings& of_arch = trainings[row.arch_hash];
    of_arch.val_accuracy.push_back(row.metrics->val_accuracy);
    of_arch.ids += (of_arch.ids.empty() ? "" : ", ") + std::to_string(row.id);
  }
  std::set<std::string> shown;
  std::string lines;
  for (const TrialRow& row : top) {
    const Trainings& of_arch = trainings[row.arch_hash];
    if (of_arch.val_accuracy.size() < 2 || !shown.insert(row.arch_hash).second) continue;
    lines += printf_string("  trial %lld: %.4f over %zu trainings (trials %s)\n", static_cast<long long>(row.id),
                           mean_and_std(of_arch.val_accuracy).first, of_arch.val_accuracy.size(), of_arch.ids.c_str());
  }
  return lines.empty() ? "" : "Trained more than once, mean val_acc of the trainings:\n" + lines;
}

Json exports_json(const std::vector<ExportRecord>& records) {
  Json exports = Json::array();
  for (const ExportRecord& record : records)
    exports.push_back(Json{{"trial", record.trial_id},
                           {"file", record.file},
                           {"retrain_epochs", record.retrain_epochs},
                           {"test_accuracy", record.test_accuracy},
                           {"test_loss", record.test_loss},
                           {"created_at", record.created_at}});
  return exports;
}

// Every repeat of `nas reevaluate`, for programs that want more than the summary.
Json reevaluations_json(const std::vector<ReevaluationRow>& rows) {
  Json repeats = Json::array();
  for (const ReevaluationRow& row : rows) {
    Json repeat{{"trial", row.trial_id}, {"repeat", row.repeat}, {"seed", row.seed}, {"status", to_string(row.status)}};
    if (row.status == TrialStatus::done)
      repeat["metrics"] = Json{{"val_accuracy", row.metrics.val_accuracy},
                               {"val_loss", row.metrics.val_loss},
                               {"train_seconds", row.metrics.train_seconds},
                               {"reported", row.metrics.reported}};
    else
      repeat["error"] = row.error;
    repeats.push_back(std::move(repeat));
  }
  return repeats;
}

// One line per `nas export`: the only place the test accuracy of a run's models shows.
std::string exports_text(const std::vector<ExportRecord>& records) {
  std::string text;
  for (const ExportRecord& record : records)
    text += printf_string("  trial %lld -> %s: test accuracy %.4f (%s, %s)\n", static_cast<long long>(record.trial_id),
                          record.file.c_str(), record.test_accuracy,
                          record.retrain_epochs > 0
                              ? ("retrained " + std::to_string(record.retrain_epochs) + " epochs").c_str()
                              : "search weights",
                          record.created_at.c_str());
  return text;
}

}  // namespace

Json inspect_json(const SearchLog& log) {
  SearchLog::ReadSnapshot snapshot(log);
  Json trials = Json::array();
  for (const auto& row : log.trials()) trials.push_back(trial_json(row));
  const std::optional<TrialRow> best = log.best();
  Json result = Json::object();
  result["experiment"] = log.info().experiment_json;
  result["phases"] = phases_json(log.phases());
  result["trials"] = std::move(trials);
  result["best"] = best ? trial_json(*best) : Json(nullptr);
  result["exports"] = exports_json(log.exports());
  result["reevaluations"] = reevaluations_json(log.reevaluations());
  return result;
}

Json inspect_trial_json(const SearchLog& log, std::int64_t id) { return trial_json(log.trial(id)); }

std::string inspect_trial_text(const SearchLog& log, std::int64_t id) {
  const TrialRow row = log.trial(id);
  std::string text = "Trial " + std::to_string(row.id) + " of " + log.info().name + " (" + log.path() + ")\n";
  text += "status:        " + to_string(row.status) + "\n";
  text += "reused from:   " + (row.reused_from < 0 ? std::string("-") : "trial " + std::to_string(row.reused_from)) +
          "\n";
  text += "error:         " + (row.error.empty() ? std::string("-") : row.error) + "\n";
  text += "trained on:    " + (row.trained_on.empty() ? std::string("this machine") : row.trained_on) + "\n";
  text += "seed:          " + std::to_string(row.seed) + "\n";
  text += "proposed at:   " + utc_time_text(row.proposed_at) + "\n";
  text += "started at:    " + moment_text(row.started_at, row.proposed_at, "proposal") + "\n";
  text += "finished at:   " + moment_text(row.finished_at, row.started_at.value_or(row.proposed_at),
                                          row.started_at ? "start" : "proposal") + "\n";
  if (row.metrics) {
    text += printf_string("val accuracy:  %.4f\n", row.metrics->val_accuracy);
    text += printf_string("val loss:      %.4f\n", row.metrics->val_loss);
    text += "params:        " + count_text(row.metrics->params) + "\n";
    text += "madds:         " + count_text(row.metrics->madds) + "\n";
    text += printf_string("train seconds: %.1f\n", row.metrics->train_seconds);
    for (const auto& [name, value] : row.metrics->reported) text += printf_string("%-14s %.4f\n", (name + ":").c_str(), value);
  } else {
    text += "metrics:       -\n";
  }
  text += "space:         " + row.arch.value("space", std::string("?")) + "\n";
  text += "hash:          " + row.arch_hash + "\n";
  text += "short form:    " + row.short_form + "\n";
  const std::vector<Choice> choices = Architecture::choices_from_json(row.arch);
  text += "choices (" + std::to_string(choices.size()) + "):\n";
  for (const auto& choice : choices) text += "  " + choice.key + " = " + choice.label + "\n";
  text += "genotype:\n" + row.arch.value("genotype", Json()).dump(2) + "\n";
  return text;
}

std::string inspect_text(const SearchLog& log, int top_k) {
  SearchLog::ReadSnapshot snapshot(log);
  const RunInfo info = log.info();
  const TrialStatusCounts counts = log.status_counts();
  const std::optional<TrialRow> best = log.best();

  std::string text;
  text += "Experiment: " + info.name + "\n";
  text += "Status:     " + info.status + " (created " + info.created_at + ", nas " +
          info.program_version + ")\n";
  text += "Phases:     " + phases_text(log.phases()) + "\n";
  text += printf_string("Trials:     %lld done, %lld failed, %lld pending, %lld running\n",
                        static_cast<long long>(counts.done), static_cast<long long>(counts.failed),
                        static_cast<long long>(counts.pending),
                        static_cast<long long>(counts.running));
  const std::string where = trained_on_text(log.trials());
  if (!where.empty()) text += "Trained on: " + where + "\n";
  text += "Best:       " + (best ? metrics_summary(*best) : std::string("none yet")) + "\n";
  if (top_k > 0 && counts.done > 0) {
    const std::vector<TrialRow> top = log.top_done_trials(top_k);
    text += "\n" + top_table(top, counts.done) + repeated_trainings_text(top, log.trials());
  }
  const std::string shared = weight_sharing_text(weight_sharing_view(log.phases()));
  if (!shared.empty()) text += "\n" + shared;
  const std::string reevaluated = reevaluation_text(summarise_reevaluations(log));
  if (!reevaluated.empty()) text += "\n" + reevaluated;
  const std::vector<ExportRecord> exports = log.exports();
  if (!exports.empty()) text += "\nExports:\n" + exports_text(exports);
  return text;
}

}  // namespace nas
