#pragma once
// Crash points for the tests that check a killed run loses and duplicates nothing. A SIGKILL from
// outside lands wherever the process happens to be; these put it at the worst moments on purpose.
// Inert unless the environment variable is set, which no user does.
#include <cstdint>

namespace nas {

// NAS_FAULT_KILL_AT=<point>:<index>: the process kills itself (SIGKILL) when it reaches `point` with
// that index; any other value, or none, does nothing. The points, each inside or just before a write
// of the search log:
//   trial             finish_trial, after the result and checkpoint are written, before the commit;
//                     index: the trial's id
//   reevaluation      record_reevaluation, before the row is written; index: the number of
//                     re-evaluation rows already in the log
//   phase-checkpoint  checkpoint_phase, after the state and records are written, before the commit;
//                     index: the number of earlier checkpoint_phase calls of that SearchLog object
//                     (0: its first)
//   migration         the transaction that migrates the log's file, before the commit; index: the
//                     format migrated from
//   creation          SearchLog::create, the new log written whole under its scratch name, before it
//                     is linked into place as search.db; index: 0
void maybe_kill_at(const char* point, std::int64_t index);
// Whether NAS_FAULT_KILL_AT names `point`, so that a caller works out an index that costs a query only
// when a test asks for it.
bool fault_point_armed(const char* point);

}  // namespace nas
