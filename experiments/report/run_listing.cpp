#include "experiments/report/run_listing.hpp"

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "experiments/log/logged_config.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/report/text_format.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;

RunListing read_run(const fs::path& run_dir) {
  RunListing run;
  run.directory = run_dir.filename().string();
  try {
    const SearchLog log = SearchLog::open(run_dir.string(), SearchLog::Mode::read_only);
    SearchLog::ReadSnapshot snapshot(log);
    const RunInfo info = log.info();
    run.status = info.status;
    run.created_at = info.created_at;
    run.done = log.status_counts().done;
    run.budget = budget_trials(info.experiment_json);
    if (const auto best = log.best()) run.best_val_accuracy = best->metrics->val_accuracy;
  } catch (const std::exception& e) {
    // One damaged log must not hide the others.
    RunListing failed;
    failed.directory = run.directory;
    failed.error = e.what();
    return failed;
  }
  return run;
}

}  // namespace

std::vector<RunListing> list_runs(const std::string& dir) {
  std::error_code error;
  if (!fs::exists(dir, error)) throw Error(dir, "no such directory");
  if (!fs::is_directory(dir, error)) throw Error(dir, "not a directory");
  std::vector<fs::path> run_dirs;
  fs::directory_iterator entries(dir, error);
  if (error) throw Error(dir, "cannot list: " + error.message());
  for (const auto& entry : entries) {
    std::error_code ignored;  // an entry that cannot be examined is not a run we can read
    if (entry.is_directory(ignored) && fs::is_regular_file(entry.path() / "search.db", ignored))
      run_dirs.push_back(entry.path());
  }
  std::sort(run_dirs.begin(), run_dirs.end());
  std::vector<RunListing> runs;
  for (const auto& run_dir : run_dirs) runs.push_back(read_run(run_dir));
  return runs;
}

std::string run_listing_text(const std::vector<RunListing>& runs) {
  using Row = std::vector<std::string>;
  std::vector<Row> rows{{"run", "status", "trials", "best", "started"}};
  for (const auto& run : runs) {
    if (!run.error.empty()) {
      rows.push_back({run.directory, "error: " + run.error});
      continue;
    }
    rows.push_back({run.directory, run.status, std::to_string(run.done) + "/" + std::to_string(run.budget),
                    run.best_val_accuracy ? printf_string("%.4f", *run.best_val_accuracy) : "-", run.created_at});
  }
  // Every cell but the last of its row is padded to the widest of its column; an error row's message
  // thus starts in the status column and runs on.
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const Row& row : rows)
    for (std::size_t column = 0; column + 1 < row.size(); ++column)
      widths[column] = std::max(widths[column], row[column].size());
  std::string text;
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t column = 0; column < row.size(); ++column) {
      const bool last = column + 1 == row.size();
      line += last ? row[column] : row[column] + std::string(widths[column] - row[column].size() + 2, ' ');
    }
    text += line + "\n";
  }
  return text;
}

}  // namespace nas
