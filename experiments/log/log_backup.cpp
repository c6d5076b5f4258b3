#include "experiments/log/log_backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
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

}  // namespace

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
  } else {
    // Every commit is in the file: copy its bytes, under a read transaction so that no checkpoint of
    // another connection moves pages into it meanwhile.
    db.execute("BEGIN");
    try {
      db.execute("SELECT COUNT(*) FROM meta");  // a read transaction starts with the first read
      fs::copy_file(db.path(), temporary, fs::copy_options::overwrite_existing);
    } catch (const fs::filesystem_error& e) {
      sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw Error(backup, "cannot back up the log: " + e.code().message());
    } catch (...) {
      sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    db.execute("COMMIT");
  }
  flush(temporary, O_RDONLY, backup);
  fs::rename(temporary, backup, error);
  if (error) throw Error(backup, "cannot back up the log: cannot rename " + temporary + ": " + error.message());
  flush(fs::path(backup).parent_path().string(), O_RDONLY | O_DIRECTORY, backup);
  return backup;
}

}  // namespace nas
