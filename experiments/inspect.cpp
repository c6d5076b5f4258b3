#include "experiments/inspect.hpp"

#include <cstdarg>
#include <cstdio>

namespace nas {
namespace {

constexpr std::size_t kTableWidth = 120;

Json trial_json(const TrialRow& row) {
  Json trial = Json::object();
  trial["id"] = row.id;
  trial["status"] = to_string(row.status);
  trial["arch"] = row.arch;
  if (row.metrics) {
    trial["metrics"] = Json{{"val_accuracy", row.metrics->val_accuracy},
                            {"val_loss", row.metrics->val_loss},
                            {"params", row.metrics->params},
                            {"madds", row.metrics->madds},
                            {"train_seconds", row.metrics->train_seconds}};
  } else {
    trial["metrics"] = nullptr;
  }
  trial["error"] = row.error.empty() ? Json(nullptr) : Json(row.error);
  trial["reused_from"] = row.reused_from < 0 ? Json(nullptr) : Json(row.reused_from);
  return trial;
}

std::string printf_string(const char* format, ...) {
  char buffer[512];
  va_list arguments;
  va_start(arguments, format);
  std::vsnprintf(buffer, sizeof buffer, format, arguments);
  va_end(arguments);
  return buffer;
}

// 1234567 -> "1.23M": parameter and multiply-add counts span six orders of magnitude.
std::string abbreviated_count(std::int64_t count) {
  const double value = static_cast<double>(count);
  if (value >= 1e9) return printf_string("%.2fG", value / 1e9);
  if (value >= 1e6) return printf_string("%.2fM", value / 1e6);
  if (value >= 1e3) return printf_string("%.2fK", value / 1e3);
  return std::to_string(count);
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

}  // namespace

Json inspect_json(const SearchLog& log) {
  SearchLog::ReadSnapshot snapshot(log);
  Json trials = Json::array();
  for (const auto& row : log.trials()) trials.push_back(trial_json(row));
  const std::optional<TrialRow> best = log.best();
  Json result = Json::object();
  result["experiment"] = log.info().experiment_json;
  result["trials"] = std::move(trials);
  result["best"] = best ? trial_json(*best) : Json(nullptr);
  return result;
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
  text += printf_string("Trials:     %lld done, %lld failed, %lld pending, %lld running\n",
                        static_cast<long long>(counts.done), static_cast<long long>(counts.failed),
                        static_cast<long long>(counts.pending),
                        static_cast<long long>(counts.running));
  text += "Best:       " + (best ? metrics_summary(*best) : std::string("none yet")) + "\n";
  if (top_k > 0 && counts.done > 0) text += "\n" + top_table(log.top_done_trials(top_k), counts.done);
  return text;
}

}  // namespace nas
