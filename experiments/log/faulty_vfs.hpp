#pragma once
// The search log's side of NAS_FAULT_FAIL_WRITE=log:<index>:<error> (core/fault_injection.hpp): a
// SQLite file system (VFS) that passes everything to the real one, except that its writes, truncations
// and syncs fail from the chosen one on, as SQLite sees them fail on a full (SQLITE_FULL) or failing
// (SQLITE_IOERR) disk. Installed as SQLite's default only when the variable names `log`.

namespace nas {

// Installs it once per process if the variable asks for it; every SqliteDatabase calls this first.
void install_faulty_vfs_if_armed();

}  // namespace nas
