#pragma once
// The run loop of `nas run`: the controller proposes, the log records the trial, the pool trains it,
// the log records the result with the controller's state, the controller observes it.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include <vector>

#include "experiments/experiment.hpp"

namespace nas {

struct RunOptions {
  std::string dir;                    // the run directory; empty: runs/<name>-<UTC time>
  std::ostream* progress = nullptr;   // where the progress line goes; null: nowhere
  bool progress_in_place = false;     // redraw one line (a terminal) instead of a line per trial
};

struct RunResult {
  std::string dir;
  std::int64_t trials = 0;
  std::int64_t failed = 0;
  std::int64_t reused = 0;            // proposals whose result was taken from an earlier identical trial
  std::optional<Trial> best;
  double wall_seconds = 0;
  double trial_seconds = 0;           // sum over trained trials of their train_seconds
  double loop_seconds = 0;            // time the run loop spent outside waiting for the pool:
                                      // proposing, logging, observing, checkpointing
  std::string seed_verdict;           // whether a trial beat the controller's seeds (seed_verdict.hpp)
};

// Where runs go without --out (runs/<name>-<UTC time>), and where `nas ls` looks by default.
constexpr const char* kRunsDirectory = "runs";
std::string default_run_dir(const std::string& name);

class SearchLog;

// Where the loop starts: nothing for a new run; for a resumed run, what its log already holds.
struct SearchStart {
  std::int64_t next_id = 0;     // the id of the next proposal
  std::vector<Trial> requeue;   // proposed before the last checkpoint but unfinished: run again as stored
  std::int64_t done = 0;        // finished trials (failed included)
  std::int64_t failed = 0;
  std::int64_t reused = 0;
  std::optional<Trial> best;
  double search_seconds = 0;    // wall-clock time of earlier sessions, which budget.hours counts too
  double train_seconds = 0;     // train_seconds of the trials trained so far, for budget.train_seconds
};

// A new run: creates its log (and run directory) and searches until the budget is spent.
RunResult run_search(Experiment& experiment, const RunOptions& options);
// The loop itself, on an open log, from `start`: new runs and resumed ones share it, so a resumed
// search proposes and records exactly as an uninterrupted one would.
RunResult run_search(Experiment& experiment, SearchLog& log, const SearchStart& start, const RunOptions& options);

}  // namespace nas
