#include "experiments/log/fault_injection.hpp"

#include <csignal>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>

namespace nas {
namespace {

struct KillTarget {
  std::string text;            // the variable's value this was parsed from
  std::string point;
  std::int64_t index = 0;
  bool armed = false;          // false: the value did not read as <point>:<index>
};

KillTarget parse(const std::string& text) {
  KillTarget target;
  target.text = text;
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return target;
  try {
    std::size_t used = 0;
    target.index = std::stoll(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1) return target;
  } catch (const std::exception&) {
    return target;
  }
  target.point = text.substr(0, colon);
  target.armed = true;
  return target;
}

// The target NAS_FAULT_KILL_AT names now, or null when it is unset: every real run, which then pays
// no parsing and no lock. Parsed again only when the value changes: a test sets the variable in a
// forked child, after the parent process may already have passed these points with it unset.
std::optional<KillTarget> current_target() {
  const char* value = std::getenv("NAS_FAULT_KILL_AT");
  if (!value) return std::nullopt;
  static std::mutex mutex;
  static KillTarget target;
  std::lock_guard<std::mutex> guard(mutex);
  if (target.text != value) target = parse(value);
  return target;
}

}  // namespace

void maybe_kill_at(const char* point, std::int64_t index) {
  const std::optional<KillTarget> target = current_target();
  if (target && target->armed && target->point == point && target->index == index) std::raise(SIGKILL);
}

bool fault_point_armed(const char* point) {
  const std::optional<KillTarget> target = current_target();
  return target && target->armed && target->point == point;
}

}  // namespace nas
