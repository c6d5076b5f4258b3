#include "experiments/run/progress_line.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace nas {

std::string format_duration(double seconds) {
  const long total = std::lround(std::max(0.0, seconds));
  char buffer[32];
  if (total >= 3600)
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%02ld:%02ld", total / 60, total % 60);
  return buffer;
}

std::string format_progress(const ProgressState& s) {
  char best[64] = "best -";
  if (s.best_trial >= 0) std::snprintf(best, sizeof best, "best %.4f (#%lld)", s.best_accuracy, static_cast<long long>(s.best_trial));
  std::string eta = "-";
  // Trials finish in waves of `running`; the mean time per finished trial is a fair guess for the rest.
  if (s.done > 0 && s.total > s.done) eta = format_duration(s.elapsed_seconds / s.done * (s.total - s.done));
  if (s.total <= s.done) eta = "00:00";
  char line[256];
  std::snprintf(line, sizeof line, "[%lld/%lld] running %lld | failed %lld | %s | %s elapsed | ETA %s",
                static_cast<long long>(s.done), static_cast<long long>(s.total), static_cast<long long>(s.running),
                static_cast<long long>(s.failed), best, format_duration(s.elapsed_seconds).c_str(), eta.c_str());
  return line;
}

void ProgressLine::show(const ProgressState& state) {
  const std::string line = format_progress(state);
  if (in_place_) {
    out_ << "\r" << line;
    if (line.size() < last_width_) out_ << std::string(last_width_ - line.size(), ' ');
    last_width_ = line.size();
  } else {
    out_ << line << "\n";
  }
  out_.flush();
}

void ProgressLine::finish() {
  if (in_place_ && last_width_ > 0) out_ << "\n";
  last_width_ = 0;
}

}  // namespace nas
