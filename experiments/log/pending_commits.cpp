#include "experiments/log/pending_commits.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <random>
#include <sstream>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/scratch_folder.hpp"
#include "experiments/log/log_file_checks.hpp"
#include "experiments/log/log_schema.hpp"
#include "experiments/log/sqlite_database.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;

// A WAL starts with a 32-byte header; frames follow it. A header alone carries no commits.
constexpr std::uintmax_t kWalHeaderBytes = 32;
// meta.log_id is this many hex digits, then one character that each transaction flips.
constexpr int kLogIdDigits = 32;

// What the user is told to do with a side file that was refused; the log itself is never changed.
std::string advice(const std::string& log_path, const PendingCommits& pending) {
  return ". Nothing was changed. If " + log_path + " alone is the log you want, move " + pending.side_file +
         " (and " + log_path + "-shm) out of the directory; if the commits are the ones you want, put the "
         "search.db they were written with back beside them";
}

// An Error's message without its location: the scratch copy's path means nothing to a user.
std::string reason_of(const Error& error) {
  const std::string text = error.what();
  const std::string prefix = error.where() + ": ";
  return text.rfind(prefix, 0) == 0 ? text.substr(prefix.size()) : text;
}

void copy_for_checking(const std::string& from, const std::string& to, const std::string& reported_as) {
  std::error_code error;
  copy_whole_file(from, to, error);
  if (error) throw Error(reported_as, "cannot check the commits it holds: cannot copy " + from + ": " + error.message());
}

// What makes a log this run's and not another's: its random id (without the flipped last character),
// when it was created and the experiment it runs. Empty when the meta table is unreadable.
std::string identity_of(const SqliteDatabase& db) {
  try {
    SqliteStatement select(db,
                           "SELECT key, CASE key WHEN 'log_id' THEN substr(value, 1, " + std::to_string(kLogIdDigits) +
                               ") ELSE value END FROM meta WHERE key IN ('log_id', 'created_at', 'experiment_hash', "
                               "'seed') ORDER BY key");
    SqliteQuery rows(select);
    std::string identity;
    while (rows.next_row()) identity += rows.text(0) + "=" + rows.text(1) + "\n";
    return identity;
  } catch (const Error&) {
    return "";
  }
}

std::vector<std::string> columns_of(const SqliteDatabase& db, const std::string& schema, const std::string& table) {
  SqliteStatement select(db, "SELECT name FROM pragma_table_info(?1, ?2)");
  SqliteQuery rows(select);
  rows.bind(1, table).bind(2, schema);
  std::vector<std::string> columns;
  while (rows.next_row()) columns.push_back(rows.text(0));
  return columns;
}

// Rows of `table` in the file alone (attached as `before`) that the applied copy (`main`) lacks or
// holds changed, compared on the columns both have (the commits may hold a format upgrade).
std::int64_t rows_lost(const SqliteDatabase& after, const std::string& table, const std::string& finished) {
  const std::vector<std::string> before_columns = columns_of(after, "before", table);
  const std::vector<std::string> after_columns = columns_of(after, "main", table);
  std::string shared;
  for (const std::string& column : before_columns)
    for (const std::string& candidate : after_columns)
      if (candidate == column) shared += (shared.empty() ? "\"" : ", \"") + column + "\"";
  if (shared.empty()) return 0;
  SqliteStatement count(after, "SELECT COUNT(*) FROM (SELECT " + shared + " FROM before." + table + " WHERE " +
                                   finished + " EXCEPT SELECT " + shared + " FROM main." + table + ")");
  SqliteQuery rows(count);
  rows.next_row();
  return rows.int64(0);
}

}  // namespace

std::string new_log_id() {
  std::random_device entropy;
  std::ostringstream id;
  id << std::hex << std::setfill('0');
  for (int word = 0; word < kLogIdDigits / 8; ++word) id << std::setw(8) << static_cast<std::uint32_t>(entropy());
  return id.str() + "+";
}

void stamp_every_transaction(SqliteDatabase& db) {
  // Logs of earlier versions have no id; they get one with their first write by this version.
  SqliteStatement add_id(db, "INSERT OR IGNORE INTO meta(key, value) VALUES('log_id', ?1)");
  SqliteQuery(add_id).bind(1, new_log_id()).run();
  // SQLite skips a write that leaves a row as it was, so the stamp flips the id's last character.
  const std::string flip = "UPDATE meta SET value = substr(value, 1, " + std::to_string(kLogIdDigits) +
                           ") || (CASE substr(value, " + std::to_string(kLogIdDigits + 1) +
                           ", 1) WHEN '+' THEN '-' ELSE '+' END) WHERE key = 'log_id';";
  std::string triggers;
  for (const std::string& table : log_schema_tables()) {
    const std::string guard = table == "meta" ? " WHEN NEW.key <> 'log_id'" : "";
    for (const std::string event : {"INSERT", "UPDATE"})
      triggers += "CREATE TEMP TRIGGER IF NOT EXISTS stamp_" + table + "_" + event + " AFTER " + event + " ON main." +
                  table + guard + " BEGIN " + flip + " END;";
    if (table != "meta")
      triggers += "CREATE TEMP TRIGGER IF NOT EXISTS stamp_" + table + "_DELETE AFTER DELETE ON main." + table +
                  " BEGIN " + flip + " END;";
  }
  db.execute(triggers);
}

std::optional<PendingCommits> find_pending_commits(const std::string& log_path) {
  std::error_code error;
  const std::string wal = log_path + "-wal";
  const auto wal_size = fs::file_size(wal, error);
  if (!error && wal_size > kWalHeaderBytes) return PendingCommits{wal, "-wal", true};
  const std::string journal = log_path + "-journal";
  const auto journal_size = fs::file_size(journal, error);
  if (!error && journal_size > 0) return PendingCommits{journal, "-journal", false};
  return std::nullopt;
}

std::unique_ptr<SqliteDatabase> apply_pending_in_scratch(const std::string& log_path, const PendingCommits& pending) {
  const std::string& side = pending.side_file;
  // Nothing in a journal names the file it was written for, and rolling one back into the wrong file
  // gives an intact log of mixed trials; nas never leaves one (its logs use a WAL).
  if (!pending.is_write_ahead_log)
    throw Error(side, "is a rollback journal that another program left while writing " + log_path +
                          " (nas writes its logs with a write-ahead log and leaves no journal), and nothing in it "
                          "proves which file it belongs to. Nothing was changed. If it is that program's unfinished "
                          "transaction on this log, let that program (or the sqlite3 shell) open the log once to roll "
                          "it back; otherwise move " + side + " out of the directory");
  const ScratchFolder scratch("nas-pending-commits", side);
  const std::string before_path = (scratch / "before.db").string();
  const std::string after_path = (scratch / "after.db").string();
  copy_for_checking(log_path, before_path, side);
  copy_for_checking(log_path, after_path, side);
  copy_for_checking(side, after_path + pending.suffix, side);

  // The first read applies the commits.
  SqliteDatabase after(after_path, SQLITE_OPEN_READWRITE);
  try {
    check_intact(after);
    checked_format_version(after);
  } catch (const Error& e) {
    throw Error(side, "does not belong to " + log_path + ": applied to a copy of it, its commits give " +
                          "a file that " + reason_of(e) + advice(log_path, pending));
  }

  SqliteDatabase before(before_path, SQLITE_OPEN_READONLY);
  const std::string before_identity = identity_of(before);
  // The file alone may be unreadable when the writer was killed while moving commits into it; then
  // the commits are what makes it whole, and an intact log of the current format is all we can ask.
  if (!before_identity.empty() && identity_of(after) != before_identity)
    throw Error(side, "does not belong to " + log_path + ": its commits are another run's log" +
                          advice(log_path, pending));
  // A WAL only adds commits, so every trial finished in the file alone must come out of it unchanged.
  bool before_readable = !before_identity.empty();
  try {
    check_intact(before);
  } catch (const Error&) {
    before_readable = false;
  }
  if (before_readable) {
    SqliteStatement attach(after, "ATTACH DATABASE ?1 AS before");
    SqliteQuery(attach).bind(1, before_path).run();
    const std::int64_t trials = rows_lost(after, "trials", "status IN ('done', 'failed')");
    const std::int64_t repeats = rows_lost(after, "reevaluations", "1");
    after.execute("DETACH DATABASE before");
    if (trials + repeats > 0)
      throw Error(side, "does not belong to " + log_path + ": applying its commits would remove or change " +
                            std::to_string(trials) + " finished trial(s) and " + std::to_string(repeats) +
                            " re-evaluation(s) that the log holds" + advice(log_path, pending));
  }
  return after.copy_into_memory(log_path);
}

}  // namespace nas
