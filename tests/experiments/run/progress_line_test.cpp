// The line `nas run` keeps up to date while it searches.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "experiments/run/progress_line.hpp"

namespace nas {
namespace {

TEST(ProgressLine, ShowsCountsBestElapsedAndEta) {
  ProgressState state;
  state.done = 6;
  state.total = 24;
  state.running = 2;
  state.failed = 1;
  state.best_accuracy = 0.858;
  state.best_trial = 5;
  state.elapsed_seconds = 106;
  // 106 s for 6 trials: 18 more take about 318 s.
  EXPECT_EQ(format_progress(state), "[6/24] running 2 | failed 1 | best 0.8580 (#5) | 01:46 elapsed | ETA 05:18");
}

TEST(ProgressLine, BeforeAnyResultAndAtTheEnd) {
  ProgressState state;
  state.total = 3;
  state.running = 2;
  EXPECT_EQ(format_progress(state), "[0/3] running 2 | failed 0 | best - | 00:00 elapsed | ETA -");
  state.done = 3;
  state.running = 0;
  state.elapsed_seconds = 3725;
  EXPECT_EQ(format_progress(state), "[3/3] running 0 | failed 0 | best - | 1:02:05 elapsed | ETA 00:00");
}

TEST(ProgressLine, RedrawsInPlaceOnATerminalAndAppendsLinesElsewhere) {
  ProgressState state;
  state.total = 2;
  std::ostringstream terminal, log;
  ProgressLine redrawn(terminal, true), appended(log, false);
  for (int done = 1; done <= 2; ++done) {
    state.done = done;
    redrawn.show(state);
    appended.show(state);
  }
  redrawn.finish();
  EXPECT_EQ(terminal.str().find('\n'), terminal.str().size() - 1);  // one line, ended once
  EXPECT_EQ(terminal.str().front(), '\r');
  const std::string lines = log.str();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 2);
}

}  // namespace
}  // namespace nas
