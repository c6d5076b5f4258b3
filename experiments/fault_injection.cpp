#include "experiments/fault_injection.hpp"

#include <csignal>
#include <cstdlib>
#include <string>

namespace nas {

void maybe_kill_before_commit(std::int64_t trial_id) {
  static const char* const target = std::getenv("NAS_FAULT_KILL_BEFORE_COMMIT");
  if (target && std::to_string(trial_id) == target) std::raise(SIGKILL);
}

}  // namespace nas
