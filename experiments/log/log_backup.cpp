#include "experiments/log/log_backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "experiments/log/pending_commits.hpp"
#include "experiments/log/sqlite_database.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;

// fsync of a file or directory by path: the data of the copy, then its name in the directory.
void flush(const std::string& path, int flags, const std::string& reported_as) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw Error(reported_as, "cannot back up the log: cannot open " + path + ": " + std::strerror(errno));
  const bool synced = ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!synced) throw Error(reported_as, "cannot back up the log: fsync of " + path + ": " + std::strerror(saved));
}

bool wal_has_frames(const std::string& db_path) {
  std::error_code error;
  const auto size = fs::file_size(db_path + "-wal", error);
  return !error && size > 0;
}

// Copies `from` to `to` + ".tmp" and flushes it; the caller renames it into place.
std::string copy_aside(const std::string& from, const std::string& to, const std::string& reported_as) {
  const std::string temporary = to + ".tmp";
  std::error_code error;
  copy_whole_file(from, temporary, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary, ignored);  // half a copy, on a full disk
    throw Error(reported_as, "cannot back up the log: cannot copy " + from + ": " + error.message());
  }
  flush(temporary, O_RDONLY, reported_as);
  return temporary;
}

void rename_into_place(const std::string& temporary, const std::string& path, const std::string& reported_as) {
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) throw Error(reported_as, "cannot back up the log: cannot rename " + temporary + ": " + error.message());
}

}  // namespace

std::string back_up_before_applying(const std::string& log_path, const PendingCommits& pending) {
  const std::string backup = log_path + ".bak-recovery";
  const std::string side_backup = backup + pending.suffix;
  const std::string file_copy = copy_aside(log_path, backup, backup);
  std::string side_copy;
  try {
    side_copy = copy_aside(pending.side_file, side_backup, backup);
  } catch (const Error&) {
    std::error_code ignored;
    fs::remove(file_copy, ignored);
    throw;
  }
  rename_into_place(side_copy, side_backup, backup);
  rename_into_place(file_copy, backup, backup);
  flush(fs::path(backup).parent_path().string(), O_RDONLY | O_DIRECTORY, backup);
  return backup;
}

std::string back_up_log(SqliteDatabase& db, int format_version) {
  const std::string backup = db.path() + ".bak-format" + std::to_string(format_version);
  const std::string temporary = backup + ".tmp";
  std::error_code error;
  fs::remove(temporary, error);  // left by a process killed while copying; VACUUM INTO wants no file
  if (wal_has_frames(db.path())) {
    // Commits may sit in the write-ahead log (a run killed before SQLite moved them into the file):
    // the file alone is not the log. VACUUM INTO writes the content as of one read transaction.
    SqliteStatement vacuum(db, "VACUUM INTO ?1");
    SqliteQuery(vacuum).bind(1, temporary).run();
    flush(temporary, O_RDONLY, backup);
  } else {
    // Every commit is in the file: copy its bytes (to `temporary`, flushed), under a read transaction
    // so that no checkpoint of another connection moves pages into it meanwhile.
    db.execute("BEGIN");
    try {
      db.execute("SELECT COUNT(*) FROM meta");  // a read transaction starts with the first read
      copy_aside(db.path(), backup, backup);
    } catch (...) {
      sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    db.execute("COMMIT");
  }
  rename_into_place(temporary, backup, backup);
  flush(fs::path(backup).parent_path().string(), O_RDONLY | O_DIRECTORY, backup);
  return backup;
}

}  // namespace nas
