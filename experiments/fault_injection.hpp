#pragma once
// Crash points for the tests that check a killed search loses and duplicates nothing. A SIGKILL from
// outside lands wherever the process happens to be; these put it at the worst moments on purpose.
// Inert unless the environment variable is set, which no user does.
#include <cstdint>

namespace nas {

// NAS_FAULT_KILL_BEFORE_COMMIT=<trial id>: the process kills itself (SIGKILL) inside the transaction
// that records that trial's result and checkpoint, after both are written and before the commit.
void maybe_kill_before_commit(std::int64_t trial_id);

}  // namespace nas
