#include "experiments/log/search_log.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

#include <unistd.h>

#include "core/error.hpp"
#include "core/fault_injection.hpp"
#include "experiments/log/log_backup.hpp"
#include "experiments/log/log_file_checks.hpp"
#include "experiments/log/log_migrations.hpp"
#include "experiments/log/log_schema.hpp"
#include "experiments/log/pending_commits.hpp"
#include "experiments/log/run_lock.hpp"
#include "experiments/log/sqlite_database.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFileName = "search.db";
// A log being created is written under kFileName + this + the creator's pid (SearchLog::create).
constexpr const char* kUnbornSuffix = ".unborn-";
// Long enough for `nas inspect` to wait out a WAL checkpoint of `nas run`, short enough that a
// genuinely stuck lock is reported rather than hanging the command.
constexpr int kBusyTimeoutMs = 5000;

// The columns read into a TrialRow, in the order read_trial_row expects.
constexpr const char* kTrialColumns =
    "id, arch, arch_hash, short, seed, status, proposed_at, started_at, finished_at, val_accuracy, "
    "val_loss, params, madds, train_seconds, error, reused_from, reported, trained_on";

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

// Refused before anything is written: run_state's owner column names whose bytes they are.
void check_state_changes(const std::string& path, const StateChanges& changes) {
  if (!changes.records.empty() && changes.owner.empty())
    throw Error(path, "cannot store " + std::to_string(changes.records.size()) +
                          " shared-weights records without an owner");
}

// The columns read into a PhaseRow, in the order phases() reads them.
constexpr const char* kPhaseColumns = "name, position, status, outcome, state, started_at, finished_at";

std::unique_ptr<SqliteDatabase> open_file(const std::string& path, int flags) {
  auto db = std::make_unique<SqliteDatabase>(path, flags);
  sqlite3_busy_timeout(db->handle(), kBusyTimeoutMs);
  return db;
}

// A reader's connection. In a directory this process cannot write (a read-only file system, a
// snapshot, another user's run), SQLite cannot make the -shm file that reading a WAL-mode log takes,
// and its "unable to open" read as a damaged log; there nobody can write the log either, so it is
// read as an immutable file, without locks or side files.
std::unique_ptr<SqliteDatabase> open_for_reading(const std::string& path) {
  const std::string dir = fs::path(path).parent_path().string();
  if (::access(dir.empty() ? "." : dir.c_str(), W_OK) == 0) return open_file(path, SQLITE_OPEN_READONLY);
  std::string uri = "file:";
  for (const char c : fs::absolute(path).string()) {
    // Percent-encode what a URI gives a meaning to; everything else is taken as it is.
    if (c == '%' || c == '?' || c == '#') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      uri += escaped;
    } else {
      uri += c;
    }
  }
  auto db = std::make_unique<SqliteDatabase>(path, SQLITE_OPEN_READONLY, uri + "?immutable=1");
  sqlite3_busy_timeout(db->handle(), kBusyTimeoutMs);
  return db;
}

// What every connection that writes the file sets. WAL lets `nas inspect` read while the run writes.
// With WAL, synchronous=NORMAL writes each commit to the WAL file without an fsync: a committed trial
// is then in the operating system's page cache and survives the process being killed (SIGKILL, OOM
// killer); only a power loss or kernel crash can lose the last commits, which FULL would cost an fsync
// per trial to prevent.
void use_for_writing(SqliteDatabase& db) {
  db.execute("PRAGMA journal_mode = WAL");
  db.execute("PRAGMA synchronous = NORMAL");
}

void write_new_log(const std::string& path, const RunInfo& info) {
  SqliteDatabase db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
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
  db.execute(log_schema_sql());
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
      {"log_id", new_log_id()},
      {"status", "running"},
  };
  for (const auto& [key, value] : rows)
    SqliteQuery(insert_meta).bind(1, std::string(key)).bind(2, value).run();
  transaction.commit();
  // Everything into the main file before it is linked into place: its WAL does not follow the name.
  db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace

// The statements used on every trial, compiled once per connection.
struct LogStatements {
  explicit LogStatements(const SqliteDatabase& db)
      : select_meta(db, "SELECT key, value FROM meta"),
        update_status(db, "UPDATE meta SET value = ?1 WHERE key = 'status'"),
        insert_trial(db,
                     "INSERT INTO trials(id, arch_hash, arch, short, seed, status, proposed_at) "
                     "VALUES(?1, ?2, ?3, ?4, ?5, 'pending', ?6)"),
        update_running(db,
                       "UPDATE trials SET status = 'running', started_at = ?2 "
                       "WHERE id = ?1 AND status IN ('pending', 'running')"),
        update_result(db,
                      "UPDATE trials SET status = ?2, finished_at = ?3, val_accuracy = ?4, "
                      "val_loss = ?5, params = ?6, madds = ?7, train_seconds = ?8, error = ?9, "
                      "reused_from = ?10, reported = ?12, trained_on = ?13 "
                      "WHERE id = ?1 AND arch_hash = ?11 AND status IN ('pending', 'running')"),
        insert_checkpoint(db,
                          "INSERT INTO checkpoints(trial_id, state, proposed, search_seconds) "
                          "VALUES(?1, ?2, ?3, ?4)"),
        delete_checkpoint(db, "DELETE FROM checkpoints"),
        upsert_state_record(db, "INSERT OR REPLACE INTO run_state(owner, key, value) VALUES(?1, ?2, ?3)"),
        select_trial_state(db, "SELECT arch_hash, status FROM trials WHERE id = ?1"),
        select_trials(db, std::string("SELECT ") + kTrialColumns + " FROM trials ORDER BY id"),
        select_trial_by_id(db, std::string("SELECT ") + kTrialColumns + " FROM trials WHERE id = ?1"),
        select_top_done(db, std::string("SELECT ") + kTrialColumns +
                                " FROM trials WHERE status = 'done' "
                                "ORDER BY val_accuracy DESC, id ASC LIMIT ?1"),
        // Each architecture once, by its best training: a controller may train one again
        // (Controller::trains_again), and its second training is not a second candidate.
        select_top_trained(db, std::string("SELECT ") + kTrialColumns +
                                   " FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY arch_hash "
                                   "ORDER BY val_accuracy DESC, id ASC) AS place FROM trials "
                                   "WHERE status = 'done' AND reused_from IS NULL) WHERE place = 1 "
                                   "ORDER BY val_accuracy DESC, id ASC LIMIT ?1"),
        select_done_by_hash(db, std::string("SELECT ") + kTrialColumns +
                                    " FROM trials WHERE arch_hash = ?1 AND status = 'done' "
                                    "ORDER BY id LIMIT 1"),
        select_status_counts(db, "SELECT status, COUNT(*) FROM trials GROUP BY status"),
        select_latest_checkpoint(db, "SELECT trial_id, state, proposed, search_seconds FROM checkpoints") {}

  SqliteStatement select_meta;
  SqliteStatement update_status;
  SqliteStatement insert_trial;
  SqliteStatement update_running;
  SqliteStatement update_result;
  SqliteStatement insert_checkpoint;
  SqliteStatement delete_checkpoint;
  SqliteStatement upsert_state_record;
  SqliteStatement select_trial_state;
  SqliteStatement select_trials;
  SqliteStatement select_trial_by_id;
  SqliteStatement select_top_done;
  SqliteStatement select_top_trained;
  SqliteStatement select_done_by_hash;
  SqliteStatement select_status_counts;
  SqliteStatement select_latest_checkpoint;
};

struct SearchLog::Impl {
  // `opened` is the file, or (for an older format) its migrated in-memory copy; `held_lock` is set
  // exactly for writers.
  Impl(std::string file_path, std::unique_ptr<SqliteDatabase> opened, std::optional<RunLock> held_lock,
       int stored_format, bool copy_of_older_file)
      : lock(std::move(held_lock)),
        path(std::move(file_path)),
        stored_format_version(stored_format),
        upgrade_pending(copy_of_older_file && lock.has_value()) {
    use(std::move(opened));
    SqliteStatement select_next_id(*db, "SELECT COALESCE(MAX(id) + 1, 0) FROM trials");
    SqliteQuery next_id(select_next_id);
    next_id.next_row();
    next_trial_id = next_id.int64(0);
  }

  // Opens search.db and refuses it, before anything is written, unless it is an intact search log of
  // a format this program reads. The checks run on a read-only connection, so that a refusal leaves
  // the file (and any write-ahead log beside it) as it was.
  static std::unique_ptr<Impl> open_checked(const std::string& path, Mode mode, std::optional<RunLock> lock);
  // Reads and writes go to `database` from now on.
  void use(std::unique_ptr<SqliteDatabase> database) {
    statements.reset();  // statements go before the connection they were compiled on
    db = std::move(database);
    statements = std::make_unique<LogStatements>(*db);
  }
  // The connection to write with: the file, migrated first (after a backup) if it is of an older
  // format. Every method that writes calls this after its own checks and before its first write.
  SqliteDatabase& for_writing();
  void write_state_changes(const StateChanges& changes);

  TrialRow read_trial_row(const SqliteQuery& query) const;
  std::vector<TrialRow> read_top(SqliteStatement& statement, int count) const;
  // Says why trial `id` could not be updated: missing, another architecture, or already finished.
  [[noreturn]] void explain_refused_update(std::int64_t id, const std::string& arch_hash,
                                           const std::string& action);
  // Throws nas::Error unless the log holds phase `name`, listing the phases it does hold.
  [[noreturn]] void refuse_unknown_phase(const std::string& name, const std::string& action) const;

  std::optional<RunLock> lock;  // held by writers; declared first so that it is released last
  std::string path;             // DIR/search.db, also while reading an in-memory copy
  int stored_format_version;
  bool upgrade_pending;         // a writer reading the migrated copy of an older file not yet migrated
  bool stamped = false;         // whether `db` stamps every transaction with the log's id
  std::optional<LogUpgrade> upgrade;
  std::unique_ptr<SqliteDatabase> db;
  std::unique_ptr<LogStatements> statements;
  std::int64_t next_trial_id = 0;
  std::int64_t phase_checkpoint_calls = 0;  // the index of the fault point `phase-checkpoint`
};

SqliteDatabase& SearchLog::Impl::for_writing() {
  if (!lock) throw Error(path, "cannot write: the log is open for reading only");
  if (upgrade_pending) {
    // The lock is held, so no other writer can change the file between the copy read so far and
    // the migration. The backup comes first: if it fails, nothing was written.
    auto file = open_file(path, SQLITE_OPEN_READWRITE);
    const std::string backup = back_up_log(*file, stored_format_version);
    use_for_writing(*file);
    migrate_log(*file, stored_format_version, true);
    use(std::move(file));
    upgrade_pending = false;
    upgrade = LogUpgrade{stored_format_version, SearchLog::format_version, backup};
  }
  if (!stamped) {
    stamp_every_transaction(*db);
    stamped = true;
  }
  return *db;
}

void SearchLog::Impl::write_state_changes(const StateChanges& changes) {
  for (const StateRecord& record : changes.records)
    SqliteQuery(statements->upsert_state_record)
        .bind(1, changes.owner)
        .bind(2, record.key)
        .bind_blob(3, record.bytes)
        .run();
}

TrialRow SearchLog::Impl::read_trial_row(const SqliteQuery& query) const {
  TrialRow row;
  row.id = query.int64(0);
  try {
    row.arch = Json::parse(query.text(1));
  } catch (const Json::exception& e) {  // also a number too large for a double (out_of_range)
    throw Error(path, "trial " + std::to_string(row.id) +
                                ": stored architecture is not valid JSON: " + e.what());
  }
  row.arch_hash = query.text(2);
  row.short_form = query.text(3);
  row.seed = seed_from_column(query.int64(4));
  try {
    row.status = trial_status_from_string(query.text(5));
  } catch (const Error& e) {
    throw Error(path, "trial " + std::to_string(row.id) + ": " + e.what());
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
        throw Error(path, "trial " + std::to_string(row.id) + ": reported metrics are unreadable: " + e.what());
      }
    }
  }
  row.error = query.text(14);
  row.reused_from = query.is_null(15) ? -1 : query.int64(15);
  row.trained_on = query.text(17);
  return row;
}

void SearchLog::Impl::explain_refused_update(std::int64_t id, const std::string& arch_hash,
                                             const std::string& action) {
  const std::string trial = "trial " + std::to_string(id);
  SqliteQuery state(statements->select_trial_state);
  state.bind(1, id);
  if (!state.next_row()) throw Error(path, "cannot " + action + " " + trial + ": no such trial");
  if (!arch_hash.empty() && state.text(0) != arch_hash)
    throw Error(path, "cannot " + action + " " + trial + ": the log holds architecture " +
                                state.text(0) + ", not " + arch_hash);
  throw Error(path, "cannot " + action + " " + trial + ": it is already " + state.text(1));
}

SearchLog::SearchLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SearchLog::SearchLog(SearchLog&&) noexcept = default;
SearchLog& SearchLog::operator=(SearchLog&&) noexcept = default;
SearchLog::~SearchLog() = default;

std::unique_ptr<SearchLog::Impl> SearchLog::Impl::open_checked(const std::string& path, Mode mode,
                                                               std::optional<RunLock> lock) {
  check_sqlite_header(path);
  std::unique_ptr<SqliteDatabase> file;
  // Commits beside the file that no live writer is adding to (a killed run's, or a foreign file's)
  // are applied to a scratch copy first, and refused unless they keep this run's finished trials.
  const auto pending = find_pending_commits(path);
  if (pending && (lock || !current_writer(fs::path(path).parent_path().string()))) {
    auto applied = apply_pending_in_scratch(path, *pending);
    if (lock) {
      // SQLite will move them into the file, which cannot be taken back: keep the file as it was.
      back_up_before_applying(path, *pending);
    } else {
      file = std::move(applied);  // a reader reads the applied copy and leaves the file alone
    }
  }
  if (!file) file = open_for_reading(path);
  check_intact(*file);
  const int stored = checked_format_version(*file);
  if (stored < SearchLog::format_version) {
    // Read an in-memory copy brought to the current format, so that no reader needs to know older
    // formats; the file stays as it is until a writer writes (Impl::for_writing).
    auto copy = file->copy_into_memory();
    file.reset();
    migrate_log(*copy, stored, false);
    return std::make_unique<SearchLog::Impl>(path, std::move(copy), std::move(lock), stored, true);
  }
  if (mode == SearchLog::Mode::read_write) {
    // We hold the lock, so no other writer changed the file since the checks (nor its side files).
    file.reset();
    file = open_file(path, SQLITE_OPEN_READWRITE);
    use_for_writing(*file);
  }
  return std::make_unique<SearchLog::Impl>(path, std::move(file), std::move(lock), stored, false);
}

SearchLog SearchLog::create(const std::string& dir, const RunInfo& info) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw Error(dir, "cannot create run directory: " + error.message());
  const std::string path = (fs::path(dir) / kFileName).string();
  const std::string already_exists =
      "already exists: a run directory holds one run; resume it or choose another directory";
  if (fs::exists(path)) {
    if (const auto writer = current_writer(dir))
      throw Error(dir, "is being written by " + *writer + "; a run directory holds one run: choose another directory");
    throw Error(path, already_exists);
  }
  // A stale WAL left without its database would be replayed into the new one, so it counts too.
  if (fs::exists(path + "-wal")) throw Error(path + "-wal", already_exists);
  RunLock lock(dir, lock_purpose());
  lock.announce();
  // The log is written whole under another name, then linked into place: a process killed while
  // creating it leaves no search.db (an unborn one would be refused by resume and block a new run),
  // only a scratch file, removed by the next creation. link() fails if search.db appeared meanwhile,
  // so of two runs started on one directory only one gets it.
  for (const auto& entry : fs::directory_iterator(dir, error))
    if (entry.path().filename().string().rfind(std::string(kFileName) + kUnbornSuffix, 0) == 0)
      fs::remove(entry.path(), error);
  const std::string unborn = path + kUnbornSuffix + std::to_string(::getpid());
  const auto remove_unborn = [&] {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(unborn + suffix, error);
  };
  try {
    remove_unborn();
    write_new_log(unborn, info);
    maybe_kill_at("creation", 0);
    if (::link(unborn.c_str(), path.c_str()) != 0) {
      if (errno == EEXIST) throw Error(path, already_exists);
      throw Error(path, "cannot create: " + std::string(std::strerror(errno)));
    }
  } catch (...) {
    remove_unborn();
    throw;
  }
  remove_unborn();
  return SearchLog(Impl::open_checked(path, Mode::read_write, std::move(lock)));
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
  // The lock comes before the checks: another writer may be in the middle of a transaction. A
  // directory without a lock file has had no writer since it was made by hand: it is checked first,
  // so that a refusal does not leave a lock file behind.
  std::optional<RunLock> lock;
  if (mode == Mode::read_write) {
    if (!fs::exists(fs::path(dir) / kRunLockFile)) Impl::open_checked(path, Mode::read_only, std::nullopt);
    lock.emplace(dir, lock_purpose());
  }
  auto impl = Impl::open_checked(path, mode, std::move(lock));
  // Only a writer whose log passed the checks says in the lock file who it is: a refused one leaves
  // the file as it was.
  if (impl->lock) impl->lock->announce();
  return SearchLog(std::move(impl));
}

const std::string& SearchLog::path() const { return impl_->path; }

int SearchLog::stored_format_version() const { return impl_->stored_format_version; }

std::optional<LogUpgrade> SearchLog::upgrade() const { return impl_->upgrade; }

RunInfo SearchLog::info() const {
  RunInfo info;
  SqliteQuery query(impl_->statements->select_meta);
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
  impl_->for_writing();
  SqliteQuery(impl_->statements->update_status).bind(1, status).run();
}

std::int64_t SearchLog::add_trial(const Architecture& arch, std::uint64_t seed) {
  const std::string arch_json = arch.to_json().dump();
  impl_->for_writing();
  const std::int64_t id = impl_->next_trial_id;
  SqliteQuery(impl_->statements->insert_trial)
      .bind(1, id)
      .bind(2, arch.hash())
      .bind(3, arch_json)
      .bind(4, arch.short_form())
      .bind(5, seed_to_column(seed))
      .bind(6, now_seconds())
      .run();
  ++impl_->next_trial_id;
  return id;
}

void SearchLog::mark_running(std::int64_t id) {
  impl_->for_writing();
  SqliteQuery update(impl_->statements->update_running);
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
  check_state_changes(path(), checkpoint.state_changes);
  SqliteTransaction transaction(impl_->for_writing());
  {
    SqliteQuery update(impl_->statements->update_result);
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
    if (trial.trained_on.empty()) update.bind_null(13);
    else update.bind(13, trial.trained_on);
    update.bind(11, trial.arch.hash()).run();
    if (update.changes() != 1) impl_->explain_refused_update(trial.id, trial.arch.hash(), "finish");
  }
  SqliteQuery(impl_->statements->delete_checkpoint).run();
  SqliteQuery(impl_->statements->insert_checkpoint)
      .bind(1, trial.id)
      .bind(2, state_text)
      .bind(3, checkpoint.proposed)
      .bind(4, checkpoint.search_seconds)
      .run();
  impl_->write_state_changes(checkpoint.state_changes);
  maybe_kill_at("trial", trial.id);
  transaction.commit();
}

void SearchLog::discard_trials_from(std::int64_t first_id) {
  SqliteDatabase& db = impl_->for_writing();
  SqliteTransaction transaction(db);
  {
    SqliteStatement count_finished(db,
                                   "SELECT COUNT(*) FROM trials WHERE id >= ?1 AND status IN ('done', 'failed')");
    SqliteQuery finished(count_finished);
    finished.bind(1, first_id);
    finished.next_row();
    if (finished.int64(0) != 0)
      throw Error(path(), "cannot resume: trials from " + std::to_string(first_id) +
                              " on should be unfinished (they follow the last checkpoint), but " +
                              std::to_string(finished.int64(0)) + " of them finished; the log is inconsistent");
  }
  SqliteStatement remove(db, "DELETE FROM trials WHERE id >= ?1");
  SqliteQuery(remove).bind(1, first_id).run();
  transaction.commit();
  impl_->next_trial_id = first_id;
}

void SearchLog::update_experiment(const Json& effective, const std::string& hash) {
  const std::string effective_text = effective.dump();
  SqliteDatabase& db = impl_->for_writing();
  SqliteTransaction transaction(db);
  SqliteStatement update(db, "UPDATE meta SET value = ?2 WHERE key = ?1");
  SqliteQuery(update).bind(1, std::string("experiment_json")).bind(2, effective_text).run();
  SqliteQuery(update).bind(1, std::string("experiment_hash")).bind(2, hash).run();
  transaction.commit();
}

void SearchLog::record_export(const ExportRecord& record) {
  SqliteStatement insert(impl_->for_writing(),
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
  std::string reported;
  if (row.status == TrialStatus::done) reported = Json(row.metrics.reported).dump();
  SqliteDatabase& db = impl_->for_writing();
  if (fault_point_armed("reevaluation")) {
    SqliteStatement count(db, "SELECT COUNT(*) FROM reevaluations");
    SqliteQuery stored(count);
    stored.next_row();
    maybe_kill_at("reevaluation", stored.int64(0));
  }
  SqliteStatement insert(db,
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
        .bind(10, reported)
        .bind_null(11);
  } else {
    for (int index = 5; index <= 10; ++index) query.bind_null(index);
    query.bind(11, row.error);
  }
  query.run();
}

std::vector<ReevaluationRow> SearchLog::reevaluations() const {
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
      throw Error(impl_->path, where + " is unreadable: " + e.what());
    }
    row.error = query.text(10);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<TrialRow> SearchLog::trials() const {
  std::vector<TrialRow> rows;
  SqliteQuery query(impl_->statements->select_trials);
  while (query.next_row()) rows.push_back(impl_->read_trial_row(query));
  return rows;
}

TrialRow SearchLog::trial(std::int64_t id) const {
  {
    SqliteQuery query(impl_->statements->select_trial_by_id);
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
  SqliteQuery query(impl_->statements->select_status_counts);
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

std::vector<TrialRow> SearchLog::top_done_trials(int count) const { return impl_->read_top(impl_->statements->select_top_done, count); }

std::vector<TrialRow> SearchLog::top_trained_trials(int count) const {
  return impl_->read_top(impl_->statements->select_top_trained, count);
}

std::optional<TrialRow> SearchLog::best() const {
  std::vector<TrialRow> top = top_done_trials(1);
  if (top.empty()) return std::nullopt;
  return std::move(top.front());
}

std::optional<TrialRow> SearchLog::find_done_by_hash(const std::string& arch_hash) const {
  SqliteQuery query(impl_->statements->select_done_by_hash);
  query.bind(1, arch_hash);
  if (!query.next_row()) return std::nullopt;
  return impl_->read_trial_row(query);
}

std::optional<Checkpoint> SearchLog::latest_checkpoint() const {
  SqliteQuery query(impl_->statements->select_latest_checkpoint);
  if (!query.next_row()) return std::nullopt;
  const std::int64_t trial_id = query.int64(0);
  try {
    return Checkpoint{Json::parse(query.text(1)), query.int64(2), query.real(3), trial_id};
  } catch (const Json::exception& e) {  // also a number too large for a double (out_of_range)
    throw Error(path(), "checkpoint after trial " + std::to_string(trial_id) +
                            " is not valid JSON: " + e.what());
  }
}

std::string describe_upgrade(const LogUpgrade& upgrade) {
  return "upgraded the search log from format " + std::to_string(upgrade.from_version) + " to " +
         std::to_string(upgrade.to_version) + "; the original is kept as " + upgrade.backup;
}

std::string to_string(PhaseStatus status) {
  switch (status) {
    case PhaseStatus::pending: return "pending";
    case PhaseStatus::running: return "running";
    case PhaseStatus::done: return "done";
    case PhaseStatus::skipped: return "skipped";
  }
  return "unknown";
}

PhaseStatus phase_status_from_string(const std::string& text) {
  for (const PhaseStatus status : {PhaseStatus::pending, PhaseStatus::running, PhaseStatus::done, PhaseStatus::skipped})
    if (to_string(status) == text) return status;
  throw Error("", "unknown phase status '" + text + "' (pending, running, done or skipped)");
}

void SearchLog::Impl::refuse_unknown_phase(const std::string& name, const std::string& action) const {
  SqliteStatement select_names(*db, "SELECT name FROM phases ORDER BY position, name");
  SqliteQuery names(select_names);
  std::string held;
  while (names.next_row()) held += (held.empty() ? "" : ", ") + names.text(0);
  throw Error(path, "cannot " + action + " phase '" + name + "': the log holds " +
                        (held.empty() ? std::string("no phases") : "the phases " + held));
}

std::vector<PhaseRow> SearchLog::phases() const {
  SqliteStatement select(*impl_->db, std::string("SELECT ") + kPhaseColumns + " FROM phases ORDER BY position, name");
  SqliteQuery query(select);
  std::vector<PhaseRow> rows;
  while (query.next_row()) {
    PhaseRow row;
    row.name = query.text(0);
    row.position = static_cast<int>(query.int64(1));
    try {
      row.status = phase_status_from_string(query.text(2));
      if (!query.is_null(4)) row.state = Json::parse(query.text(4));
    } catch (const std::exception& e) {
      throw Error(path(), "phase '" + row.name + "' is unreadable: " + e.what());
    }
    row.outcome = query.text(3);
    row.started_at = query.optional_real(5);
    row.finished_at = query.optional_real(6);
    rows.push_back(std::move(row));
  }
  return rows;
}

void SearchLog::add_phase(const std::string& name, int position) {
  if (name.empty()) throw Error(path(), "cannot add a phase without a name");
  {
    SqliteStatement select(*impl_->db, "SELECT status FROM phases WHERE name = ?1");
    SqliteQuery existing(select);
    existing.bind(1, name);
    if (existing.next_row())
      throw Error(path(), "cannot add phase '" + name + "': the log already holds it (" + existing.text(0) + ")");
  }
  SqliteStatement insert(impl_->for_writing(), "INSERT INTO phases(name, position, status) VALUES(?1, ?2, 'pending')");
  SqliteQuery(insert).bind(1, name).bind(2, static_cast<std::int64_t>(position)).run();
}

void SearchLog::set_phase_status(const std::string& name, PhaseStatus status, const std::string& outcome) {
  const bool ended = status == PhaseStatus::done || status == PhaseStatus::skipped;
  if (!ended && !outcome.empty())
    throw Error(path(), "cannot set phase '" + name + "' " + to_string(status) + " with outcome '" + outcome +
                            "': only a phase that ended (done or skipped) has an outcome");
  SqliteDatabase& db = impl_->for_writing();
  // started_at keeps the first time the phase ran, across reopenings; an outcome and an end belong to
  // a phase that ended, and are cleared when it runs again.
  SqliteStatement update(
      db, ended ? "UPDATE phases SET status = ?2, outcome = ?3, finished_at = ?4 WHERE name = ?1"
                : "UPDATE phases SET status = ?2, outcome = NULL, finished_at = NULL, "
                  "started_at = CASE WHEN ?2 = 'running' THEN COALESCE(started_at, ?4) ELSE started_at END "
                  "WHERE name = ?1");
  SqliteQuery query(update);
  query.bind(1, name).bind(2, to_string(status)).bind(4, now_seconds());
  if (ended) {
    if (outcome.empty()) query.bind_null(3);
    else query.bind(3, outcome);
  }
  query.run();
  if (query.changes() != 1) impl_->refuse_unknown_phase(name, "set the status of");
}

void SearchLog::checkpoint_phase(const std::string& name, const Json& state, const StateChanges& changes) {
  const std::int64_t call = impl_->phase_checkpoint_calls++;
  std::optional<std::string> state_text;
  try {
    if (!state.is_null()) state_text = state.dump();
  } catch (const Json::type_error& e) {
    throw Error(path(), "the state of phase '" + name + "' cannot be stored: " + e.what());
  }
  check_state_changes(path(), changes);
  SqliteDatabase& db = impl_->for_writing();
  SqliteTransaction transaction(db);
  {
    SqliteStatement update(db, "UPDATE phases SET state = ?2 WHERE name = ?1");
    SqliteQuery query(update);
    query.bind(1, name);
    if (state_text) query.bind(2, *state_text);
    else query.bind_null(2);
    query.run();
    if (query.changes() != 1) impl_->refuse_unknown_phase(name, "checkpoint");
  }
  impl_->write_state_changes(changes);
  maybe_kill_at("phase-checkpoint", call);
  transaction.commit();
}

std::vector<StateRecord> SearchLog::run_state(const std::string& owner) const {
  SqliteStatement select(*impl_->db, "SELECT key, value FROM run_state WHERE owner = ?1 ORDER BY key");
  SqliteQuery query(select);
  query.bind(1, owner);
  std::vector<StateRecord> records;
  while (query.next_row()) records.push_back(StateRecord{query.text(0), query.blob(1)});
  return records;
}

SearchLog::ReadSnapshot::ReadSnapshot(const SearchLog& log) : log_(log) {
  log_.impl_->db->execute("BEGIN");
}

SearchLog::ReadSnapshot::~ReadSnapshot() {
  // Nothing was written, so ending the transaction cannot lose anything; a destructor must not throw.
  sqlite3_exec(log_.impl_->db->handle(), "COMMIT", nullptr, nullptr, nullptr);
}

}  // namespace nas
