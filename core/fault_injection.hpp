#pragma once
// Faults on purpose, for the tests that check that a killed run or a full disk loses and duplicates
// nothing. A SIGKILL from outside lands wherever the process happens to be, and a disk fills whenever
// it does; these put both at every moment that matters. Inert unless the environment variables are
// set, which no user does.
#include <cstdint>

namespace nas {

// NAS_FAULT_KILL_AT=<point>:<index>: the process kills itself (SIGKILL) when it reaches `point` with
// that index; any other value, or none, does nothing. The points, each inside or just before a write:
//   creation          SearchLog::create, the new log written whole under its scratch name, before it
//                     is linked into place as search.db; index: 0
//   trial             finish_trial, after the result and checkpoint are written, before the commit;
//                     index: the trial's id
//   reevaluation      record_reevaluation, before the row is written; index: the number of
//                     re-evaluation rows already in the log
//   phase-checkpoint  checkpoint_phase, after the state and records are written, before the commit;
//                     index: the number of earlier checkpoint_phase calls of that SearchLog object
//                     (0: its first)
//   migration         the transaction that migrates the log's file, before the commit; index: the
//                     format migrated from
//   export            `nas export`: 0 once the TorchScript file is written aside, 1 once its
//                     description is too, 2 once the model is in place and its description not yet,
//                     3 once both are, before the export is recorded in the log
void maybe_kill_at(const char* point, std::int64_t index);
// Whether NAS_FAULT_KILL_AT names `point`, so that a caller works out an index that costs a query only
// when a test asks for it.
bool fault_point_armed(const char* point);

// NAS_FAULT_FAIL_WRITE=<kind>:<index>:<error>: the write of `kind` numbered `index` (0: the first this
// process makes) and every later one of that kind fail with `error`, ENOSPC (a full disk) or EIO (a
// failing one). The kinds:
//   log   SQLite's writes, truncations and syncs of a search log's files (experiments/log/faulty_vfs)
//   log-transaction
//         the search log's write transactions, counted as each takes the write lock of the log's WAL
//         (those creating a new log under its scratch name included): from the start of
//         transaction `index` on, every write of kind `log` fails. One fault per transaction,
//         where `log` makes one per page: a run whose transactions write megabytes (a supernet's
//         weights) is swept transaction by transaction
//   file  whole files: kept weights, TorchScript files, model descriptions, HTML reports, and the
//         copies of a log (its backups, and the private copies its pending commits are checked in)
//         (core/atomic_file)
// Returns the errno the write about to be made must fail with, or 0 to let it happen; each call is
// one write of `kind`.
int injected_write_error(const char* kind);
// Whether NAS_FAULT_FAIL_WRITE names `kind`: the log's faulty file system is installed only when it
// names `log` or `log-transaction`.
bool write_faults_armed(const char* kind);

}  // namespace nas
