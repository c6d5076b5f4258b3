#include "experiments/log/log_file_checks.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "core/error.hpp"
#include "experiments/log/log_migrations.hpp"
#include "experiments/log/log_schema.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/log/sqlite_database.hpp"

namespace nas {

void check_sqlite_header(const std::string& path) {
  static const char kMagic[16] = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f',
                                  'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(path, "cannot read: " + std::string(std::strerror(errno)));
  char header[16] = {};
  file.read(header, sizeof header);
  if (file.gcount() == 0) throw Error(path, "is empty, not a search log");
  if (file.gcount() < static_cast<std::streamsize>(sizeof header) ||
      std::memcmp(header, kMagic, sizeof header) != 0)
    throw Error(path, "is not a SQLite database");
}

void check_intact(const SqliteDatabase& db) {
  std::string first_problem;
  char* message = nullptr;
  const int rc = sqlite3_exec(
      db.handle(), "PRAGMA quick_check(1)",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) = values[0] ? values[0] : "";
        return 0;
      },
      &first_problem, &message);
  if (rc != SQLITE_OK) {
    const std::string reason = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw Error(db.path(), "is corrupt or not a SQLite database: " + reason);
  }
  if (first_problem != "ok") throw Error(db.path(), "is corrupt: " + first_problem);
}

int checked_format_version(const SqliteDatabase& db) {
  // The tables every format has had since the oldest one this program migrates.
  SqliteStatement count_tables(
      db,
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'trials', "
      "'checkpoints', 'exports')");
  SqliteQuery tables(count_tables);
  tables.next_row();
  if (tables.int64(0) != 4)
    throw Error(db.path(), "is a SQLite database but not a nas search log (its tables are missing)");

  SqliteStatement select_version(db, "SELECT value FROM meta WHERE key = 'format_version'");
  SqliteQuery version(select_version);
  if (!version.next_row()) throw Error(db.path(), "is not a nas search log (no format_version)");
  const std::string text = version.text(0);
  int found = 0;
  try {
    std::size_t used = 0;
    found = std::stoi(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
  } catch (const std::exception&) {
    throw Error(db.path(), "has an unreadable format_version '" + text + "'");
  }
  const std::string versions = " (search log format " + std::to_string(found) + "; this program reads formats " +
                               std::to_string(oldest_migratable_format()) + " to " +
                               std::to_string(SearchLog::format_version) + ")";
  if (found > SearchLog::format_version)
    throw Error(db.path(), "was written by a newer version of nas" + versions);
  if (found < oldest_migratable_format())
    throw Error(db.path(), "was written by an older version of nas, too old to migrate" + versions);
  if (found == SearchLog::format_version) {
    // Older formats gain their missing tables by migration; the current one must have them all.
    SqliteStatement table_exists(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
    for (const std::string& table : log_schema_tables()) {
      SqliteQuery exists(table_exists);
      exists.bind(1, table).next_row();
      if (exists.int64(0) == 0)
        throw Error(db.path(), "is a search log of format " + std::to_string(found) + " without its table '" + table +
                                   "': the file was damaged or edited by another program");
    }
  }
  return found;
}

}  // namespace nas
