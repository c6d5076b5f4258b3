#pragma once
// The one line `nas run` keeps up to date: trials done / total, running, failed, best so far,
// elapsed, ETA. On a terminal it is redrawn in place; elsewhere (logs, CI) a line per change.
#include <cstdint>
#include <iosfwd>
#include <string>

namespace nas {

struct ProgressState {
  std::int64_t done = 0;  // finished trials, failed ones included
  std::int64_t total = 0;
  std::int64_t running = 0;
  std::int64_t failed = 0;
  double best_accuracy = -1;  // < 0: none yet
  std::int64_t best_trial = -1;
  double elapsed_seconds = 0;
};

std::string format_progress(const ProgressState& state);

class ProgressLine {
 public:
  ProgressLine(std::ostream& out, bool redraw_in_place) : out_(out), in_place_(redraw_in_place) {}
  void show(const ProgressState& state);
  void finish();  // ends the redrawn line

 private:
  std::ostream& out_;
  bool in_place_;
  std::size_t last_width_ = 0;
};

std::string format_duration(double seconds);

}  // namespace nas
