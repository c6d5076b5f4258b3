#pragma once
// `nas ls`: the runs kept under a directory, one line each, read from their search logs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nas {

struct RunListing {
  std::string directory;  // the run directory's name under the listed directory
  std::string status;     // running, finished or stopped, maybe followed by ": reason"
  std::int64_t done = 0;
  std::int64_t budget = 0;  // budget.trials of the run's configuration
  std::optional<double> best_val_accuracy;
  std::string created_at;
  std::string error;  // why the log could not be read; the fields above are empty then
};

// Every directory directly under `dir` that holds a search.db, by name; other entries are skipped.
// A log that cannot be read is listed with its error. Throws nas::Error naming `dir` when it is
// missing or not a directory.
std::vector<RunListing> list_runs(const std::string& dir);

// One line per run under a header line, columns aligned.
std::string run_listing_text(const std::vector<RunListing>& runs);

}  // namespace nas
