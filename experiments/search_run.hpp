#pragma once
// The run loop of `nas run`: the controller proposes, the log records the trial, the pool trains it,
// the log records the result with the controller's state, the controller observes it.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

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
};

// Where runs go without --out (runs/<name>-<UTC time>), and where `nas ls` looks by default.
constexpr const char* kRunsDirectory = "runs";
std::string default_run_dir(const std::string& name);

RunResult run_search(Experiment& experiment, const RunOptions& options);

}  // namespace nas
