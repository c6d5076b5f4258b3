#pragma once
// Commits that lie beside a search log and that SQLite would apply to it on the next open: a
// write-ahead log (search.db-wal) left by a writer that was killed, or a hot rollback journal
// (search.db-journal). SQLite trusts whatever such file lies beside a database, but nothing in the
// file proves that it belongs there: another run's WAL left in the directory, or a finished log
// copied over a killed run's search.db, would be replayed into the log and replace its trials.
// So before the real file is touched, the commits are applied to a private scratch copy, and only a
// result that is an intact log of the same run, keeping every finished trial, is accepted. What makes
// "the same run" provable: every log has a random id (meta.log_id), and every transaction a writer
// commits rewrites the row that holds it, so every WAL carries the page that names its log.
#include <memory>
#include <optional>
#include <string>

namespace nas {

class SqliteDatabase;

struct PendingCommits {
  std::string side_file;  // DIR/search.db-wal or DIR/search.db-journal
  std::string suffix;     // "-wal" or "-journal": what SQLite appends to a database's name for it
  bool is_write_ahead_log;
};

// A new log's id: 32 random hex digits and the character that stamp_every_transaction flips.
std::string new_log_id();

// Makes every transaction that `db` (a writer's connection to a log of the current format) commits
// also rewrite meta.log_id, giving a log of an earlier version an id first. Temporary triggers: they
// live in the connection, not in the file.
void stamp_every_transaction(SqliteDatabase& db);

// The side file beside `log_path` that holds commits not yet in the file itself, if any. A WAL with
// no frames (at most its 32-byte header) and an empty journal hold none.
std::optional<PendingCommits> find_pending_commits(const std::string& log_path);

// Applies `pending` to a scratch copy of `log_path` (under the system's temporary folder, removed
// afterwards) and returns the result as an in-memory database that names `log_path` in its errors.
// Throws nas::Error naming the side file, and changing nothing, when the result is damaged, is not a
// search log, is another run's log, or has lost or changed a trial that the file alone holds finished,
// and for every rollback journal: nothing in one says which file it was written for.
std::unique_ptr<SqliteDatabase> apply_pending_in_scratch(const std::string& log_path, const PendingCommits& pending);

}  // namespace nas
