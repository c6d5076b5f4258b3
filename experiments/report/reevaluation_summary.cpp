#include "experiments/report/reevaluation_summary.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/statistics.hpp"
#include "experiments/report/text_format.hpp"

namespace nas {

bool better_repeat(const std::pair<double, int>& candidate, const std::pair<double, int>& kept) {
  return candidate.first > kept.first || (candidate.first == kept.first && candidate.second < kept.second);
}

std::vector<ReevaluationSummary> summarise_reevaluations(const SearchLog& log) {
  std::map<std::int64_t, std::vector<ReevaluationRow>> by_trial;
  for (ReevaluationRow& row : log.reevaluations()) by_trial[row.trial_id].push_back(std::move(row));
  std::vector<ReevaluationSummary> summaries;
  for (const auto& [trial_id, rows] : by_trial) {
    const TrialRow trial = log.trial(trial_id);
    ReevaluationSummary summary;
    summary.trial_id = trial_id;
    summary.short_form = trial.short_form;
    if (trial.metrics) summary.search_val_accuracy = trial.metrics->val_accuracy;
    std::vector<double> val, seconds;
    std::map<std::string, std::vector<double>> reported;
    for (const ReevaluationRow& row : rows) {
      if (row.status != TrialStatus::done) {
        ++summary.failed;
        continue;
      }
      ++summary.done;
      if (summary.best_repeat < 0 || better_repeat({row.metrics.val_accuracy, row.repeat},
                                                   {summary.best_repeat_val_accuracy, summary.best_repeat})) {
        summary.best_repeat = row.repeat;
        summary.best_repeat_seed = row.seed;
        summary.best_repeat_val_accuracy = row.metrics.val_accuracy;
      }
      val.push_back(row.metrics.val_accuracy);
      seconds.push_back(row.metrics.train_seconds);
      for (const auto& [name, value] : row.metrics.reported) reported[name].push_back(value);
    }
    std::tie(summary.val_accuracy_mean, summary.val_accuracy_std) = mean_and_std(val);
    summary.train_seconds_mean = mean_and_std(seconds).first;
    for (const auto& [name, values] : reported) summary.reported[name] = mean_and_std(values);
    summaries.push_back(std::move(summary));
  }
  std::stable_sort(summaries.begin(), summaries.end(), [](const ReevaluationSummary& a, const ReevaluationSummary& b) {
    if ((a.done > 0) != (b.done > 0)) return a.done > 0;
    return a.val_accuracy_mean > b.val_accuracy_mean;
  });
  return summaries;
}

// A lead of two standard errors is about the 95% line of a two-sided test; below it the order of the two
// means is not established.
constexpr double kEstablishedLead = 2.0;

std::string choice_lead_text(const std::vector<ReevaluationSummary>& summaries) {
  if (summaries.size() < 2 || summaries[0].done == 0 || summaries[1].done == 0) return "";
  const ReevaluationSummary& chosen = summaries[0];
  const ReevaluationSummary& runner_up = summaries[1];
  const double lead = chosen.val_accuracy_mean - runner_up.val_accuracy_mean;
  std::string text = printf_string("Lead over trial %lld: %.4f mean val_acc", static_cast<long long>(runner_up.trial_id), lead);
  if (chosen.done < 2 || runner_up.done < 2) return text + " (one repeat has no standard error)";
  // The summaries hold population deviations; n / (n - 1) turns their squares into sample variances.
  const auto variance_of_mean = [](const ReevaluationSummary& s) {
    return s.val_accuracy_std * s.val_accuracy_std / static_cast<double>(s.done - 1);
  };
  const double standard_error = std::sqrt(variance_of_mean(chosen) + variance_of_mean(runner_up));
  if (standard_error == 0) return text + " (every repeat validated the same)";
  const double ratio = lead / standard_error;
  text += printf_string(", %.1f standard errors of the difference", ratio);
  if (ratio < kEstablishedLead)
    text += printf_string(": under %g, so these repeats do not tell the two apart", kEstablishedLead);
  return text;
}

std::string reevaluation_text(const std::vector<ReevaluationSummary>& summaries) {
  if (summaries.empty()) return "";
  // One column per figure the evaluator reported (test accuracy, GraphNAS's figure, the kept epoch, ...),
  // by name; a trial whose repeats lack one shows "-".
  std::set<std::string> figures;
  for (const ReevaluationSummary& s : summaries)
    for (const auto& entry : s.reported) figures.insert(entry.first);
  const auto column_width = [](const std::string& name) { return std::max<int>(15, static_cast<int>(name.size())); };
  std::string text;
  if (summaries.front().done > 0)
    text += printf_string("Re-evaluated: chosen trial %lld (mean val_acc %.4f over %d repeats from fresh seeds)\n",
                          static_cast<long long>(summaries.front().trial_id), summaries.front().val_accuracy_mean,
                          summaries.front().done);
  if (const std::string lead = choice_lead_text(summaries); !lead.empty()) text += lead + "\n";
  text += printf_string("    %4s  %7s  %15s  ", "id", "repeats", "val_acc");
  for (const std::string& figure : figures) text += printf_string("%*s  ", column_width(figure), figure.c_str());
  text += printf_string("%10s  %8s  %s\n", "search_val", "train_s", "genotype");
  for (const ReevaluationSummary& s : summaries) {
    text += printf_string("    %4lld  %3d/%-3d  ", static_cast<long long>(s.trial_id), s.done, s.done + s.failed) +
            mean_std_text(s.val_accuracy_mean, s.val_accuracy_std) + "  ";
    for (const std::string& figure : figures) {
      const auto found = s.reported.find(figure);
      const std::string cell = found == s.reported.end()
                                   ? std::string("-")
                                   : mean_std_text(found->second.first, found->second.second);
      // Padded by hand: printf's width counts bytes, and "±" is two.
      const int shown = static_cast<int>(display_width(cell));
      text += std::string(std::max(0, column_width(figure) - shown), ' ') + cell + "  ";
    }
    text += printf_string("%10.4f  %8.1f  ", s.search_val_accuracy, s.train_seconds_mean) + s.short_form + "\n";
  }
  return text;
}

}  // namespace nas
