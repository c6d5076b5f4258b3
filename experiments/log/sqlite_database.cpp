#include "experiments/log/sqlite_database.hpp"

#include "core/error.hpp"
#include "experiments/log/faulty_vfs.hpp"

namespace nas {

SqliteDatabase::SqliteDatabase(const std::string& path, int flags, const std::string& uri) : path_(path) {
  install_faulty_vfs_if_armed();
  const int rc = uri.empty() ? sqlite3_open_v2(path.c_str(), &db_, flags, nullptr)
                             : sqlite3_open_v2(uri.c_str(), &db_, flags | SQLITE_OPEN_URI, nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 hands back a handle even on failure, holding the message.
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(path_, "cannot open: " + message);
  }
  // Extended codes tell SQLITE_CORRUPT apart from its many neighbours in error messages.
  sqlite3_extended_result_codes(db_, 1);
}

SqliteDatabase::SqliteDatabase(InMemory, const std::string& shown_as) : path_(shown_as) {
  const int rc = sqlite3_open_v2(":memory:", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(path_, "cannot make an in-memory copy: " + std::string(sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db_, 1);
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close_v2(db_); }

std::unique_ptr<SqliteDatabase> SqliteDatabase::copy_into_memory(const std::string& shown_as) const {
  std::unique_ptr<SqliteDatabase> copy(new SqliteDatabase(InMemory{}, shown_as));
  sqlite3_backup* backup = sqlite3_backup_init(copy->db_, "main", db_, "main");
  if (!backup) copy->fail("cannot copy into memory");
  // -1: every page in one step, under one read transaction of the source, hence one consistent state.
  const int step = sqlite3_backup_step(backup, -1);
  const int finish = sqlite3_backup_finish(backup);
  if (step != SQLITE_DONE) throw Error(path_, "cannot copy into memory: " + std::string(sqlite3_errstr(step)));
  if (finish != SQLITE_OK) copy->fail("cannot copy into memory");
  return copy;
}

void SqliteDatabase::execute(const std::string& sql) {
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    fail("'" + sql + "' failed");
}

void SqliteDatabase::fail(const std::string& what) const {
  throw Error(path_, what + ": " + sqlite3_errmsg(db_));
}

SqliteStatement::SqliteStatement(const SqliteDatabase& db, const std::string& sql) : db_(db) {
  if (sqlite3_prepare_v3(db.handle(), sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &statement_,
                         nullptr) != SQLITE_OK)
    db.fail("cannot prepare '" + sql + "'");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

SqliteQuery::SqliteQuery(SqliteStatement& statement) : statement_(statement) {}

SqliteQuery::~SqliteQuery() {
  sqlite3_reset(statement_.statement_);
  sqlite3_clear_bindings(statement_.statement_);
}

SqliteQuery& SqliteQuery::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(statement_.statement_, index, value) != SQLITE_OK)
    statement_.db_.fail("cannot bind parameter " + std::to_string(index));
  return *this;
}

SqliteQuery& SqliteQuery::bind(int index, double value) {
  if (sqlite3_bind_double(statement_.statement_, index, value) != SQLITE_OK)
    statement_.db_.fail("cannot bind parameter " + std::to_string(index));
  return *this;
}

SqliteQuery& SqliteQuery::bind(int index, const std::string& value) {
  if (sqlite3_bind_text(statement_.statement_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK)
    statement_.db_.fail("cannot bind parameter " + std::to_string(index));
  return *this;
}

SqliteQuery& SqliteQuery::bind_blob(int index, const std::string& bytes) {
  // data() is never null, so an empty string is an empty BLOB rather than NULL.
  if (sqlite3_bind_blob64(statement_.statement_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK)
    statement_.db_.fail("cannot bind parameter " + std::to_string(index));
  return *this;
}

SqliteQuery& SqliteQuery::bind_null(int index) {
  if (sqlite3_bind_null(statement_.statement_, index) != SQLITE_OK)
    statement_.db_.fail("cannot bind parameter " + std::to_string(index));
  return *this;
}

bool SqliteQuery::next_row() {
  const int rc = sqlite3_step(statement_.statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  statement_.db_.fail(std::string("'") + sqlite3_sql(statement_.statement_) + "' failed");
}

void SqliteQuery::run() {
  while (next_row()) {
  }
}

int SqliteQuery::changes() const { return sqlite3_changes(statement_.db_.handle()); }

bool SqliteQuery::is_null(int column) const {
  return sqlite3_column_type(statement_.statement_, column) == SQLITE_NULL;
}

std::int64_t SqliteQuery::int64(int column) const {
  return sqlite3_column_int64(statement_.statement_, column);
}

double SqliteQuery::real(int column) const {
  return sqlite3_column_double(statement_.statement_, column);
}

std::string SqliteQuery::text(int column) const {
  const auto* bytes = sqlite3_column_text(statement_.statement_, column);
  if (!bytes) return {};
  return std::string(reinterpret_cast<const char*>(bytes),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_.statement_, column)));
}

std::string SqliteQuery::blob(int column) const {
  // The pointer first, then the size: asking the size first could convert the value.
  const void* bytes = sqlite3_column_blob(statement_.statement_, column);
  if (!bytes) return {};
  return std::string(static_cast<const char*>(bytes),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_.statement_, column)));
}

std::optional<double> SqliteQuery::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

SqliteTransaction::SqliteTransaction(SqliteDatabase& db) : db_(db) { db_.execute("BEGIN IMMEDIATE"); }

SqliteTransaction::~SqliteTransaction() {
  // A destructor must not throw; if ROLLBACK itself fails, SQLite has already rolled back.
  if (!finished_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit() {
  db_.execute("COMMIT");
  finished_ = true;
}

}  // namespace nas
