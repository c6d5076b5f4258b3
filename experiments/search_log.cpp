#include "experiments/search_log.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "experiments/fault_injection.hpp"
#include "experiments/run_lock.hpp"
#include "experiments/sqlite_database.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFileName = "search.db";
// Long enough for `nas inspect` to wait out a WAL checkpoint of `nas run`, short enough that a
// genuinely stuck lock is reported rather than hanging the command.
constexpr int kBusyTimeoutMs = 5000;

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE trials(
  id INTEGER PRIMARY KEY,
  arch_hash TEXT NOT NULL,
  arch TEXT NOT NULL,
  short TEXT NOT NULL,
  seed INTEGER NOT NULL,
  status TEXT NOT NULL,
  proposed_at REAL NOT NULL,
  started_at REAL,
  finished_at REAL,
  val_accuracy REAL,
  val_loss REAL,
  params INTEGER,
  madds INTEGER,
  train_seconds REAL,
  error TEXT,
  reused_from INTEGER,
  reported TEXT);
CREATE INDEX trials_by_arch_hash ON trials(arch_hash);
-- One row: the checkpoint written with the result that came last. Only that one is ever read back,
-- and a learned controller's state is large (an LSTM with its optimizer is over a megabyte).
CREATE TABLE checkpoints(
  trial_id INTEGER NOT NULL,
  state TEXT NOT NULL,
  proposed INTEGER NOT NULL,
  search_seconds REAL NOT NULL);
CREATE TABLE exports(
  id INTEGER PRIMARY KEY,
  trial_id INTEGER NOT NULL,
  file TEXT NOT NULL,
  retrain_epochs INTEGER NOT NULL,
  test_accuracy REAL NOT NULL,
  test_loss REAL NOT NULL,
  created_at TEXT NOT NULL);
)sql";

// Not in kSchema's format check: logs of format 2 written before `nas reevaluate` lack it, and gain it
// when opened for writing; readers treat a missing table as no re-evaluations.
constexpr const char* kReevaluationSchema = R"sql(
CREATE TABLE IF NOT EXISTS reevaluations(
  trial_id INTEGER NOT NULL,
  repeat INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  status TEXT NOT NULL,
  val_accuracy REAL,
  val_loss REAL,
  params INTEGER,
  madds INTEGER,
  train_seconds REAL,
  reported TEXT,
  error TEXT,
  finished_at REAL NOT NULL,
  PRIMARY KEY(trial_id, repeat));
)sql";

// The columns read into a TrialRow, in the order read_trial_row expects.
constexpr const char* kTrialColumns =
    "id, arch, arch_hash, short, seed, status, proposed_at, started_at, finished_at, val_accuracy, "
    "val_loss, params, madds, train_seconds, error, reused_from, reported";

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string now_iso8601_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

// SQLite integers are signed 64-bit; seeds are stored by bit pattern so every uint64 round-trips.
std::int64_t seed_to_column(std::uint64_t seed) { return static_cast<std::int64_t>(seed); }
std::uint64_t seed_from_column(std::int64_t value) { return static_cast<std::uint64_t>(value); }

// "running", "finished" or "stopped", optionally followed by ": why" for people reading it.
void check_run_status(const std::string& path, const std::string& status) {
  const std::string state = status.substr(0, status.find(':'));
  if (state != "running" && state != "finished" && state != "stopped")
    throw Error(path, "run status must be running, finished or stopped (optionally followed by "
                      "': reason'), got '" + status + "'");
}

// Reads the 16-byte magic SQLite puts at the start of every database, so that a file which is not
// one gets a plain message, and SQLite never opens (or creates side files next to) it.
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

// PRAGMA quick_check reads every page: it finds truncation and damaged b-trees that a plain open
// would only hit later, half way through a run.
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

void check_format(const SqliteDatabase& db) {
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
    found = std::stoi(text);
  } catch (const std::exception&) {
    throw Error(db.path(), "has an unreadable format_version '" + text + "'");
  }
  const std::string versions = " (search log format " + std::to_string(found) +
                               "; this program reads format " +
                               std::to_string(SearchLog::format_version) + ")";
  if (found > SearchLog::format_version)
    throw Error(db.path(), "was written by a newer version of nas" + versions);
  if (found < SearchLog::format_version)
    throw Error(db.path(), "was written by an older version of nas" + versions);
}

// Opens search.db and refuses it, before anything is written, unless it is an intact search log of
// this format version.
std::unique_ptr<SqliteDatabase> open_checked(const std::string& path, SearchLog::Mode mode) {
  check_sqlite_header(path);
  const int flags =
      mode == SearchLog::Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  auto db = std::make_unique<SqliteDatabase>(path, flags);
  sqlite3_busy_timeout(db->handle(), kBusyTimeoutMs);
  check_intact(*db);
  check_format(*db);
  if (mode == SearchLog::Mode::read_write) {
    // WAL lets `nas inspect` read while the run writes. With WAL, synchronous=NORMAL writes each
    // commit to the WAL file without an fsync: a committed trial is then in the operating system's
    // page cache and survives the process being killed (SIGKILL, OOM killer); only a power loss or
    // kernel crash can lose the last commits, which FULL would cost an fsync per trial to prevent.
    db->execute("PRAGMA journal_mode = WAL");
    db->execute("PRAGMA synchronous = NORMAL");
    db->execute(kReevaluationSchema);
  }
  return db;
}

void write_new_log(const std::string& path, const RunInfo& info) {
  SqliteDatabase db(path, SQLITE_OPEN_READWRITE);
  // journal_mode is stored in the file, so every later connection is in WAL mode too. SQLite
  // answers with the mode it ended up in rather than failing, e.g. on filesystems without mmap.
  {
    SqliteStatement set_wal(db, "PRAGMA journal_mode = WAL");
    SqliteQuery journal_mode(set_wal);
    if (!journal_mode.next_row() || journal_mode.text(0) != "wal")
      throw Error(path, "cannot use WAL journal mode on this filesystem, so `nas inspect` could "
                        "not read while the run writes");
  }
  SqliteTransaction transaction(db);
  db.execute(kSchema);
  SqliteStatement insert_meta(db, "INSERT INTO meta(key, value) VALUES(?1, ?2)");
  const std::pair<const char*, std::string> rows[] = {
      {"format_version", std::to_string(SearchLog::format_version)},
      {"program_version", NAS_VERSION},
      {"experiment_text", info.experiment_text},
      {"experiment_json", info.experiment_json.dump()},
      {"experiment_hash", info.experiment_hash},
      {"name", info.name},
      {"seed", std::to_string(info.seed)},
      {"created_at", now_iso8601_utc()},
      {"status", "running"},
  };
  for (const auto& [key, value] : rows)
    SqliteQuery(insert_meta).bind(1, std::string(key)).bind(2, value).run();
  transaction.commit();
}

}  // namespace

struct SearchLog::Impl {
  Impl(std::unique_ptr<SqliteDatabase> opened, std::optional<RunLock> held_lock)
      : lock(std::move(held_lock)),
        db(std::move(opened)),
        select_meta(*db, "SELECT key, value FROM meta"),
        update_status(*db, "UPDATE meta SET value = ?1 WHERE key = 'status'"),
        insert_trial(*db,
                     "INSERT INTO trials(id, arch_hash, arch, short, seed, status, proposed_at) "
                     "VALUES(?1, ?2, ?3, ?4, ?5, 'pending', ?6)"),
        update_running(*db,
                       "UPDATE trials SET status = 'running', started_at = ?2 "
                       "WHERE id = ?1 AND status IN ('pending', 'running')"),
        update_result(*db,
                      "UPDATE trials SET status = ?2, finished_at = ?3, val_accuracy = ?4, "
                      "val_loss = ?5, params = ?6, madds = ?7, train_seconds = ?8, error = ?9, "
                      "reused_from = ?10, reported = ?12 "
                      "WHERE id = ?1 AND arch_hash = ?11 AND status IN ('pending', 'running')"),
        insert_checkpoint(*db,
                          "INSERT INTO checkpoints(trial_id, state, proposed, search_seconds) "
                          "VALUES(?1, ?2, ?3, ?4)"),
        delete_checkpoint(*db, "DELETE FROM checkpoints"),
        select_trial_state(*db, "SELECT arch_hash, status FROM trials WHERE id = ?1"),
        select_trials(*db, std::string("SELECT ") + kTrialColumns + " FROM trials ORDER BY id"),
        select_trial_by_id(*db, std::string("SELECT ") + kTrialColumns + " FROM trials WHERE id = ?1"),
        select_top_done(*db, std::string("SELECT ") + kTrialColumns +
                                 " FROM trials WHERE status = 'done' "
                                 "ORDER BY val_accuracy DESC, id ASC LIMIT ?1"),
        // Each architecture once, by its best training: a controller may train one again
        // (Controller::trains_again), and its second training is not a second candidate.
        select_top_trained(*db, std::string("SELECT ") + kTrialColumns +
                                    " FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY arch_hash "
                                    "ORDER BY val_accuracy DESC, id ASC) AS place FROM trials "
                                    "WHERE status = 'done' AND reused_from IS NULL) WHERE place = 1 "
                                    "ORDER BY val_accuracy DESC, id ASC LIMIT ?1"),
        select_done_by_hash(*db, std::string("SELECT ") + kTrialColumns +
                                     " FROM trials WHERE arch_hash = ?1 AND status = 'done' "
                                     "ORDER BY id LIMIT 1"),
        select_status_counts(*db, "SELECT status, COUNT(*) FROM trials GROUP BY status"),
        select_latest_checkpoint(*db,
                                 "SELECT trial_id, state, proposed, search_seconds FROM checkpoints") {
    SqliteStatement select_next_id(*db, "SELECT COALESCE(MAX(id) + 1, 0) FROM trials");
    SqliteQuery next_id(select_next_id);
    next_id.next_row();
    next_trial_id = next_id.int64(0);
  }

  TrialRow read_trial_row(const SqliteQuery& query) const;
  std::vector<TrialRow> read_top(SqliteStatement& statement, int count) const;
  // Says why trial `id` could not be updated: missing, another architecture, or already finished.
  [[noreturn]] void explain_refused_update(std::int64_t id, const std::string& arch_hash,
                                           const std::string& action);

  std::optional<RunLock> lock;  // held by writers; declared first so that it is released last
  std::unique_ptr<SqliteDatabase> db;
  std::int64_t next_trial_id = 0;
  SqliteStatement select_meta;
  SqliteStatement update_status;
  SqliteStatement insert_trial;
  SqliteStatement update_running;
  SqliteStatement update_result;
  SqliteStatement insert_checkpoint;
  SqliteStatement delete_checkpoint;
  SqliteStatement select_trial_state;
  SqliteStatement select_trials;
  SqliteStatement select_trial_by_id;
  SqliteStatement select_top_done;
  SqliteStatement select_top_trained;
  SqliteStatement select_done_by_hash;
  SqliteStatement select_status_counts;
  SqliteStatement select_latest_checkpoint;
};

TrialRow SearchLog::Impl::read_trial_row(const SqliteQuery& query) const {
  TrialRow row;
  row.id = query.int64(0);
  try {
    row.arch = Json::parse(query.text(1));
  } catch (const Json::parse_error& e) {
    throw Error(db->path(), "trial " + std::to_string(row.id) +
                                ": stored architecture is not valid JSON: " + e.what());
  }
  row.arch_hash = query.text(2);
  row.short_form = query.text(3);
  row.seed = seed_from_column(query.int64(4));
  try {
    row.status = trial_status_from_string(query.text(5));
  } catch (const Error& e) {
    throw Error(db->path(), "trial " + std::to_string(row.id) + ": " + e.what());
  }
  row.proposed_at = query.real(6);
  row.started_at = query.optional_real(7);
  row.finished_at = query.optional_real(8);
  if (!query.is_null(9)) {
    row.metrics = TrialMetrics{query.real(9), query.real(10), query.int64(11), query.int64(12),
                               query.real(13), {}};
    if (!query.is_null(16)) {
      try {
        row.metrics->reported = Json::parse(query.text(16)).get<std::map<std::string, double>>();
      } catch (const Json::exception& e) {
        throw Error(db->path(), "trial " + std::to_string(row.id) + ": reported metrics are unreadable: " + e.what());
      }
    }
  }
  row.error = query.text(14);
  row.reused_from = query.is_null(15) ? -1 : query.int64(15);
  return row;
}

void SearchLog::Impl::explain_refused_update(std::int64_t id, const std::string& arch_hash,
                                             const std::string& action) {
  const std::string trial = "trial " + std::to_string(id);
  SqliteQuery state(select_trial_state);
  state.bind(1, id);
  if (!state.next_row()) throw Error(db->path(), "cannot " + action + " " + trial + ": no such trial");
  if (!arch_hash.empty() && state.text(0) != arch_hash)
    throw Error(db->path(), "cannot " + action + " " + trial + ": the log holds architecture " +
                                state.text(0) + ", not " + arch_hash);
  throw Error(db->path(), "cannot " + action + " " + trial + ": it is already " + state.text(1));
}

SearchLog::SearchLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SearchLog::SearchLog(SearchLog&&) noexcept = default;
SearchLog& SearchLog::operator=(SearchLog&&) noexcept = default;
SearchLog::~SearchLog() = default;

SearchLog SearchLog::create(const std::string& dir, const RunInfo& info) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw Error(dir, "cannot create run directory: " + error.message());
  const std::string path = (fs::path(dir) / kFileName).string();
  const std::string already_exists =
      "already exists: a run directory holds one run; resume it or choose another directory";
  if (fs::exists(path)) throw Error(path, already_exists);
  // A stale WAL left without its database would be replayed into the new one, so it counts too.
  if (fs::exists(path + "-wal")) throw Error(path + "-wal", already_exists);
  RunLock lock(dir, lock_purpose());
  // "x": create exclusively, so that of two runs started on one directory only one gets it.
  std::FILE* claimed = std::fopen(path.c_str(), "wx");
  if (!claimed) {
    if (errno == EEXIST) throw Error(path, already_exists);
    throw Error(path, "cannot create: " + std::string(std::strerror(errno)));
  }
  std::fclose(claimed);
  try {
    write_new_log(path, info);
    return SearchLog(std::make_unique<Impl>(open_checked(path, Mode::read_write), std::move(lock)));
  } catch (...) {
    // The file is ours (created exclusively above): leave no half-made log behind.
    fs::remove(path, error);
    fs::remove(path + "-wal", error);
    fs::remove(path + "-shm", error);
    throw;
  }
}

SearchLog SearchLog::open(const std::string& dir, Mode mode) {
  std::error_code error;
  const fs::file_status dir_status = fs::status(dir, error);
  if (!fs::exists(dir_status)) throw Error(dir, "run directory does not exist");
  if (!fs::is_directory(dir_status)) throw Error(dir, "is not a directory");
  const std::string path = (fs::path(dir) / kFileName).string();
  const fs::file_status file_status = fs::status(path, error);
  if (!fs::exists(file_status)) throw Error(dir, "is not a run directory: it has no search.db");
  if (!fs::is_regular_file(file_status)) throw Error(path, "is not a regular file");
  // The lock comes before the checks: another writer may be in the middle of a transaction.
  std::optional<RunLock> lock;
  if (mode == Mode::read_write) lock.emplace(dir, lock_purpose());
  return SearchLog(std::make_unique<Impl>(open_checked(path, mode), std::move(lock)));
}

const std::string& SearchLog::path() const { return impl_->db->path(); }

RunInfo SearchLog::info() const {
  RunInfo info;
  SqliteQuery query(impl_->select_meta);
  while (query.next_row()) {
    const std::string key = query.text(0);
    const std::string value = query.text(1);
    try {
      if (key == "format_version") info.format_version = std::stoi(value);
      else if (key == "program_version") info.program_version = value;
      else if (key == "experiment_text") info.experiment_text = value;
      else if (key == "experiment_json") info.experiment_json = Json::parse(value);
      else if (key == "experiment_hash") info.experiment_hash = value;
      else if (key == "name") info.name = value;
      else if (key == "seed") info.seed = std::stoull(value);
      else if (key == "created_at") info.created_at = value;
      else if (key == "status") info.status = value;
    } catch (const std::exception& e) {
      throw Error(path(), "meta '" + key + "' is unreadable: " + e.what());
    }
  }
  return info;
}

void SearchLog::set_status(const std::string& status) {
  check_run_status(path(), status);
  SqliteQuery(impl_->update_status).bind(1, status).run();
}

std::int64_t SearchLog::add_trial(const Architecture& arch, std::uint64_t seed) {
  const std::int64_t id = impl_->next_trial_id;
  SqliteQuery(impl_->insert_trial)
      .bind(1, id)
      .bind(2, arch.hash())
      .bind(3, arch.to_json().dump())
      .bind(4, arch.short_form())
      .bind(5, seed_to_column(seed))
      .bind(6, now_seconds())
      .run();
  ++impl_->next_trial_id;
  return id;
}

void SearchLog::mark_running(std::int64_t id) {
  SqliteQuery update(impl_->update_running);
  update.bind(1, id).bind(2, now_seconds()).run();
  if (update.changes() != 1) impl_->explain_refused_update(id, "", "start");
}

void SearchLog::finish_trial(const Trial& trial, const Checkpoint& checkpoint) {
  if (trial.status != TrialStatus::done && trial.status != TrialStatus::failed)
    throw Error(path(), "cannot finish trial " + std::to_string(trial.id) + " with status " +
                            to_string(trial.status) + ": it must be done or failed");
  const TrialMetrics& metrics = trial.metrics;
  const bool reported_finite = std::all_of(metrics.reported.begin(), metrics.reported.end(),
                                           [](const auto& entry) { return std::isfinite(entry.second); });
  if (trial.status == TrialStatus::done &&
      !(std::isfinite(metrics.val_accuracy) && std::isfinite(metrics.val_loss) &&
        std::isfinite(metrics.train_seconds) && reported_finite))
    throw Error(path(), "cannot finish trial " + std::to_string(trial.id) +
                            " as done: its metrics are not finite (a NaN loss is a failed trial)");
  std::string state_text;
  try {
    state_text = checkpoint.controller.dump();
  } catch (const Json::type_error& e) {
    throw Error(path(), "controller state after trial " + std::to_string(trial.id) +
                            " cannot be stored: " + e.what());
  }
  SqliteTransaction transaction(*impl_->db);
  {
    SqliteQuery update(impl_->update_result);
    update.bind(1, trial.id).bind(2, to_string(trial.status)).bind(3, now_seconds());
    if (trial.status == TrialStatus::done) {
      update.bind(4, metrics.val_accuracy)
          .bind(5, metrics.val_loss)
          .bind(6, metrics.params)
          .bind(7, metrics.madds)
          .bind(8, metrics.train_seconds);
    } else {
      for (int index = 4; index <= 8; ++index) update.bind_null(index);
    }
    if (trial.error.empty()) update.bind_null(9);
    else update.bind(9, trial.error);
    if (trial.reused_from < 0) update.bind_null(10);
    else update.bind(10, trial.reused_from);
    if (trial.status == TrialStatus::done && !metrics.reported.empty()) update.bind(12, Json(metrics.reported).dump());
    else update.bind_null(12);
    update.bind(11, trial.arch.hash()).run();
    if (update.changes() != 1) impl_->explain_refused_update(trial.id, trial.arch.hash(), "finish");
  }
  SqliteQuery(impl_->delete_checkpoint).run();
  SqliteQuery(impl_->insert_checkpoint)
      .bind(1, trial.id)
      .bind(2, state_text)
      .bind(3, checkpoint.proposed)
      .bind(4, checkpoint.search_seconds)
      .run();
  maybe_kill_before_commit(trial.id);
  transaction.commit();
}

void SearchLog::discard_trials_from(std::int64_t first_id) {
  SqliteTransaction transaction(*impl_->db);
  {
    SqliteStatement count_finished(*impl_->db,
                                   "SELECT COUNT(*) FROM trials WHERE id >= ?1 AND status IN ('done', 'failed')");
    SqliteQuery finished(count_finished);
    finished.bind(1, first_id);
    finished.next_row();
    if (finished.int64(0) != 0)
      throw Error(path(), "cannot resume: trials from " + std::to_string(first_id) +
                              " on should be unfinished (they follow the last checkpoint), but " +
                              std::to_string(finished.int64(0)) + " of them finished; the log is inconsistent");
  }
  SqliteStatement remove(*impl_->db, "DELETE FROM trials WHERE id >= ?1");
  SqliteQuery(remove).bind(1, first_id).run();
  transaction.commit();
  impl_->next_trial_id = first_id;
}

void SearchLog::update_experiment(const Json& effective, const std::string& hash) {
  SqliteTransaction transaction(*impl_->db);
  SqliteStatement update(*impl_->db, "UPDATE meta SET value = ?2 WHERE key = ?1");
  SqliteQuery(update).bind(1, std::string("experiment_json")).bind(2, effective.dump()).run();
  SqliteQuery(update).bind(1, std::string("experiment_hash")).bind(2, hash).run();
  transaction.commit();
}

void SearchLog::record_export(const ExportRecord& record) {
  SqliteStatement insert(*impl_->db,
                         "INSERT INTO exports(trial_id, file, retrain_epochs, test_accuracy, test_loss, created_at) "
                         "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  SqliteQuery(insert)
      .bind(1, record.trial_id)
      .bind(2, record.file)
      .bind(3, static_cast<std::int64_t>(record.retrain_epochs))
      .bind(4, record.test_accuracy)
      .bind(5, record.test_loss)
      .bind(6, now_iso8601_utc())
      .run();
}

std::vector<ExportRecord> SearchLog::exports() const {
  SqliteStatement select(*impl_->db,
                         "SELECT trial_id, file, retrain_epochs, test_accuracy, test_loss, created_at FROM exports "
                         "ORDER BY id");
  SqliteQuery query(select);
  std::vector<ExportRecord> records;
  while (query.next_row())
    records.push_back(ExportRecord{query.int64(0), query.text(1), static_cast<int>(query.int64(2)), query.real(3),
                                   query.real(4), query.text(5)});
  return records;
}

void SearchLog::record_reevaluation(const ReevaluationRow& row) {
  SqliteStatement insert(*impl_->db,
                         "INSERT INTO reevaluations(trial_id, repeat, seed, status, val_accuracy, val_loss, params, "
                         "madds, train_seconds, reported, error, finished_at) "
                         "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  SqliteQuery query(insert);
  query.bind(1, row.trial_id)
      .bind(2, static_cast<std::int64_t>(row.repeat))
      .bind(3, seed_to_column(row.seed))
      .bind(4, to_string(row.status))
      .bind(12, now_seconds());
  if (row.status == TrialStatus::done) {
    query.bind(5, row.metrics.val_accuracy)
        .bind(6, row.metrics.val_loss)
        .bind(7, row.metrics.params)
        .bind(8, row.metrics.madds)
        .bind(9, row.metrics.train_seconds)
        .bind(10, Json(row.metrics.reported).dump())
        .bind_null(11);
  } else {
    for (int index = 5; index <= 10; ++index) query.bind_null(index);
    query.bind(11, row.error);
  }
  query.run();
}

std::vector<ReevaluationRow> SearchLog::reevaluations() const {
  SqliteStatement exists(*impl_->db,
                         "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'reevaluations'");
  {
    SqliteQuery table(exists);
    if (!table.next_row() || table.int64(0) == 0) return {};
  }
  SqliteStatement select(*impl_->db,
                         "SELECT trial_id, repeat, seed, status, val_accuracy, val_loss, params, madds, train_seconds, "
                         "reported, error FROM reevaluations ORDER BY trial_id, repeat");
  SqliteQuery query(select);
  std::vector<ReevaluationRow> rows;
  while (query.next_row()) {
    ReevaluationRow row;
    row.trial_id = query.int64(0);
    row.repeat = static_cast<int>(query.int64(1));
    row.seed = seed_from_column(query.int64(2));
    const std::string where = "re-evaluation " + std::to_string(row.repeat) + " of trial " + std::to_string(row.trial_id);
    try {
      row.status = trial_status_from_string(query.text(3));
      if (row.status == TrialStatus::done) {
        row.metrics = TrialMetrics{query.real(4), query.real(5), query.int64(6), query.int64(7), query.real(8), {}};
        row.metrics.reported = Json::parse(query.text(9)).get<std::map<std::string, double>>();
      }
    } catch (const std::exception& e) {
      throw Error(impl_->db->path(), where + " is unreadable: " + e.what());
    }
    row.error = query.text(10);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<TrialRow> SearchLog::trials() const {
  std::vector<TrialRow> rows;
  SqliteQuery query(impl_->select_trials);
  while (query.next_row()) rows.push_back(impl_->read_trial_row(query));
  return rows;
}

TrialRow SearchLog::trial(std::int64_t id) const {
  {
    SqliteQuery query(impl_->select_trial_by_id);
    query.bind(1, id);
    if (query.next_row()) return impl_->read_trial_row(query);
  }
  SqliteStatement select_range(*impl_->db, "SELECT COUNT(*), MIN(id), MAX(id) FROM trials");
  SqliteQuery range(select_range);
  range.next_row();
  throw Error(path(), "no trial " + std::to_string(id) +
                          (range.int64(0) == 0 ? std::string("; the log holds no trials yet")
                                               : "; its trials are " + std::to_string(range.int64(1)) + " to " +
                                                     std::to_string(range.int64(2))));
}

TrialStatusCounts SearchLog::status_counts() const {
  TrialStatusCounts counts;
  SqliteQuery query(impl_->select_status_counts);
  while (query.next_row()) {
    const std::int64_t count = query.int64(1);
    switch (trial_status_from_string(query.text(0))) {
      case TrialStatus::pending: counts.pending = count; break;
      case TrialStatus::running: counts.running = count; break;
      case TrialStatus::done: counts.done = count; break;
      case TrialStatus::failed: counts.failed = count; break;
    }
  }
  return counts;
}

std::vector<TrialRow> SearchLog::Impl::read_top(SqliteStatement& statement, int count) const {
  std::vector<TrialRow> rows;
  SqliteQuery query(statement);
  query.bind(1, static_cast<std::int64_t>(std::max(count, 0)));
  while (query.next_row()) rows.push_back(read_trial_row(query));
  return rows;
}

std::vector<TrialRow> SearchLog::top_done_trials(int count) const { return impl_->read_top(impl_->select_top_done, count); }

std::vector<TrialRow> SearchLog::top_trained_trials(int count) const {
  return impl_->read_top(impl_->select_top_trained, count);
}

std::optional<TrialRow> SearchLog::best() const {
  std::vector<TrialRow> top = top_done_trials(1);
  if (top.empty()) return std::nullopt;
  return std::move(top.front());
}

std::optional<TrialRow> SearchLog::find_done_by_hash(const std::string& arch_hash) const {
  SqliteQuery query(impl_->select_done_by_hash);
  query.bind(1, arch_hash);
  if (!query.next_row()) return std::nullopt;
  return impl_->read_trial_row(query);
}

std::optional<Checkpoint> SearchLog::latest_checkpoint() const {
  SqliteQuery query(impl_->select_latest_checkpoint);
  if (!query.next_row()) return std::nullopt;
  const std::int64_t trial_id = query.int64(0);
  try {
    return Checkpoint{Json::parse(query.text(1)), query.int64(2), query.real(3), trial_id};
  } catch (const Json::parse_error& e) {
    throw Error(path(), "checkpoint after trial " + std::to_string(trial_id) +
                            " is not valid JSON: " + e.what());
  }
}

SearchLog::ReadSnapshot::ReadSnapshot(const SearchLog& log) : log_(log) {
  log_.impl_->db->execute("BEGIN");
}

SearchLog::ReadSnapshot::~ReadSnapshot() {
  // Nothing was written, so ending the transaction cannot lose anything; a destructor must not throw.
  sqlite3_exec(log_.impl_->db->handle(), "COMMIT", nullptr, nullptr, nullptr);
}

}  // namespace nas
