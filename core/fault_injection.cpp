#include "core/fault_injection.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>

namespace nas {
namespace {

struct FaultTarget {
  std::string text;    // the variable's value this was parsed from
  std::string where;   // a kill point, or a kind of write
  std::int64_t index = 0;
  int error = 0;       // for write faults: the errno
  bool armed = false;  // false: the value did not parse
};

bool parse_index(const std::string& text, std::int64_t& index) {
  try {
    std::size_t used = 0;
    index = std::stoll(text, &used);
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

// <point>:<index>
FaultTarget parse_kill(const std::string& text) {
  FaultTarget target;
  target.text = text;
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || !parse_index(text.substr(colon + 1), target.index)) return target;
  target.where = text.substr(0, colon);
  target.armed = true;
  return target;
}

// <kind>:<index>:<ENOSPC|EIO>
FaultTarget parse_write_fault(const std::string& text) {
  FaultTarget target;
  target.text = text;
  const std::size_t first = text.find(':');
  const std::size_t last = text.rfind(':');
  if (first == std::string::npos || first == 0 || last == first) return target;
  const std::string error = text.substr(last + 1);
  if (error == "ENOSPC") target.error = ENOSPC;
  else if (error == "EIO") target.error = EIO;
  else return target;
  if (!parse_index(text.substr(first + 1, last - first - 1), target.index)) return target;
  target.where = text.substr(0, first);
  target.armed = true;
  return target;
}

// The target a variable names now, or null when it is unset: every real run, which then pays no
// parsing and no lock. Parsed again only when the value changes: a test sets the variable in a forked
// child, after the parent process may already have passed these points with it unset.
template <FaultTarget (*parse)(const std::string&)>
std::optional<FaultTarget> current_target(const char* variable) {
  const char* value = std::getenv(variable);
  if (!value) return std::nullopt;
  static std::mutex mutex;
  static FaultTarget target;
  std::lock_guard<std::mutex> guard(mutex);
  if (target.text != value) target = parse(value);
  return target;
}

std::optional<FaultTarget> kill_target() { return current_target<parse_kill>("NAS_FAULT_KILL_AT"); }
std::optional<FaultTarget> write_fault_target() { return current_target<parse_write_fault>("NAS_FAULT_FAIL_WRITE"); }

}  // namespace

void maybe_kill_at(const char* point, std::int64_t index) {
  const std::optional<FaultTarget> target = kill_target();
  if (target && target->armed && target->where == point && target->index == index) std::raise(SIGKILL);
}

bool fault_point_armed(const char* point) {
  const std::optional<FaultTarget> target = kill_target();
  return target && target->armed && target->where == point;
}

int injected_write_error(const char* kind) {
  const std::optional<FaultTarget> target = write_fault_target();
  if (!target || !target->armed || target->where != kind) return 0;
  static std::mutex mutex;
  static std::int64_t writes = 0;  // of the armed kind, in this process
  std::lock_guard<std::mutex> guard(mutex);
  return writes++ >= target->index ? target->error : 0;
}

bool write_faults_armed(const char* kind) {
  const std::optional<FaultTarget> target = write_fault_target();
  return target && target->armed && target->where == kind;
}

}  // namespace nas
