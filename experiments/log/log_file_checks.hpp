#pragma once
// What SearchLog::open checks before it uses a file, so that a file which is not an intact search log
// this program can read is refused with a plain message, before anything is written.
#include <string>

namespace nas {

class SqliteDatabase;

// Reads the 16-byte magic SQLite puts at the start of every database, so that a file which is not one
// gets a plain message, and SQLite never opens (or creates side files next to) it.
void check_sqlite_header(const std::string& path);
// PRAGMA quick_check reads every page: it finds truncation and damaged b-trees that a plain open
// would only hit later, half way through a run.
void check_intact(const SqliteDatabase& db);
// The log's format version (meta.format_version). Refuses a database that is not a search log, and a
// log of a format this program can neither read nor migrate: newer than SearchLog::format_version, or
// older than the oldest migration (log_migrations.hpp). Both versions are named.
int checked_format_version(const SqliteDatabase& db);

}  // namespace nas
