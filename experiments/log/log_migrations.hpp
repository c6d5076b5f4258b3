#pragma once
// How a search log of an older format becomes one of the current format (SearchLog::format_version).
// A program reads every format from the oldest migration's on: readers migrate a private in-memory
// copy and never write the file; a writer migrates the file itself, after backing it up, at its first
// write (search_log.hpp). Each migration is history: it is never changed once released, and a new
// format adds one at the end.
#include <vector>

namespace nas {

class SqliteDatabase;

struct LogMigration {
  int from_version;               // turns a log of this format into one of format from_version + 1
  const char* summary;            // what the new format adds, for readers of the code and the tests
  void (*apply)(SqliteDatabase&);  // the schema and data changes, without meta.format_version
};

// Every migration, oldest first; each starts from the format the one before it gives, and the last
// gives SearchLog::format_version (checked when this is compiled, and by a test).
const std::vector<LogMigration>& log_migrations();
// The oldest format that can be migrated: older logs are refused.
int oldest_migratable_format();

// Applies the migrations from `from_version` up to the current format to `db`, with the update of
// meta.format_version, in one transaction (BEGIN IMMEDIATE ... COMMIT): a log is migrated whole or
// not at all. `on_file` says that `db` is the log's file rather than a copy; only then does the fault
// point `migration` (fault_injection.hpp) fire.
void migrate_log(SqliteDatabase& db, int from_version, bool on_file);

}  // namespace nas
