#pragma once
// The SQLite C API wrapped in RAII for the search log: a connection, its prepared statements, one
// execution of a statement, and a transaction. Every failure becomes a nas::Error naming the file,
// so a user sees which run directory is at fault. Internal to experiments/: only .cpp files include
// this header, which keeps <sqlite3.h> out of the search log's public header.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace nas {

class SqliteDatabase {
 public:
  // Opens an existing file (`flags` from SQLITE_OPEN_*, never creating one unless asked). `uri`, when
  // given, is what SQLite opens instead (a file: URI with parameters); `path` still names it in errors.
  SqliteDatabase(const std::string& path, int flags, const std::string& uri = "");
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  // Runs statements that take no parameters and return no rows we need (schema, pragmas).
  void execute(const std::string& sql);
  // Throws nas::Error naming the file, with SQLite's own message after `what`.
  [[noreturn]] void fail(const std::string& what) const;
  // A private in-memory database holding a copy of this one, taken with SQLite's online backup (a
  // consistent state even while another process writes). It names this one's file in its errors:
  // the file a user knows, not ":memory:"; or `shown_as`, when this one is a scratch copy of that file.
  std::unique_ptr<SqliteDatabase> copy_into_memory() const { return copy_into_memory(path_); }
  std::unique_ptr<SqliteDatabase> copy_into_memory(const std::string& shown_as) const;

 private:
  struct InMemory {};
  SqliteDatabase(InMemory, const std::string& shown_as);

  std::string path_;
  sqlite3* db_ = nullptr;
};

// A statement compiled once and run many times; compiling per call would dominate a write.
class SqliteStatement {
 public:
  SqliteStatement(const SqliteDatabase& db, const std::string& sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

 private:
  friend class SqliteQuery;
  const SqliteDatabase& db_;
  sqlite3_stmt* statement_ = nullptr;
};

// One execution of a prepared statement: bind, step, read columns. The destructor resets the
// statement so that an unfinished SELECT does not keep a read snapshot (and its WAL frames) alive.
class SqliteQuery {
 public:
  explicit SqliteQuery(SqliteStatement& statement);
  ~SqliteQuery();
  SqliteQuery(const SqliteQuery&) = delete;
  SqliteQuery& operator=(const SqliteQuery&) = delete;

  // Parameters are numbered from 1, as in SQL.
  SqliteQuery& bind(int index, std::int64_t value);
  SqliteQuery& bind(int index, double value);
  SqliteQuery& bind(int index, const std::string& value);
  // Bytes, not text: stored as a BLOB, embedded zeros and all.
  SqliteQuery& bind_blob(int index, const std::string& bytes);
  SqliteQuery& bind_null(int index);

  // Advances to the next row; false when there are no more.
  bool next_row();
  // Runs a statement that returns no rows.
  void run();
  // Rows changed by the last run() of this connection.
  int changes() const;

  // Columns are numbered from 0, as in the SQLite API.
  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  // A BLOB column's bytes, embedded zeros included; empty for NULL.
  std::string blob(int column) const;
  std::optional<double> optional_real(int column) const;

 private:
  SqliteStatement& statement_;
};

// BEGIN IMMEDIATE on construction: the write lock is taken up front, so a busy database fails at
// the start rather than half way. Rolled back by the destructor unless commit() was called.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDatabase& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  void commit();

 private:
  SqliteDatabase& db_;
  bool finished_ = false;
};

}  // namespace nas
