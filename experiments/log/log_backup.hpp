#pragma once
// The copy of a search log taken before its file is migrated to a newer format, so that the run can
// still be opened by the program that wrote it (copy the backup back over search.db).
#include <string>

namespace nas {

class SqliteDatabase;
struct PendingCommits;

// Copies the database `db` (a connection to DIR/search.db, of format `format_version`) to
// DIR/search.db.bak-format<N> and returns that path. The copy is consistent and complete on disk
// before this returns: written under a temporary name beside it, flushed, then renamed over the final
// name (replacing the backup of an earlier attempt whose migration did not commit). When every commit
// is in the file itself (no write-ahead log frames), the backup is the file byte for byte; otherwise
// it is SQLite's VACUUM INTO copy of the same content. The caller holds the run's lock.
std::string back_up_log(SqliteDatabase& db, int format_version);

}  // namespace nas

namespace nas {

// Copies DIR/search.db and its write-ahead log `pending` (journals are refused before, see
// pending_commits.hpp) byte for byte to DIR/search.db.bak-recovery and DIR/search.db.bak-recovery-wal,
// replacing the copies of an earlier recovery, and
// returns the first path. Called by a writer, holding the run's lock, before SQLite applies commits
// it cannot take back; the two copies together are the log as it was.
std::string back_up_before_applying(const std::string& log_path, const PendingCommits& pending);

}  // namespace nas
