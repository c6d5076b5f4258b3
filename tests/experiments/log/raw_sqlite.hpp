#pragma once
// The log tests' access to a search log behind SearchLog's back: to damage it or age it as a foreign
// or older program would, and to describe its schema.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

namespace nas::log_test {

// Runs `sql` on the closed log at `path`.
inline void execute_raw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

// Every row of `sql`'s result, one line each, columns separated by '|'.
inline std::string query_raw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string rows;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return rows;
  }
  const int rc = sqlite3_exec(
      db, sql.c_str(),
      [](void* out, int count, char** values, char**) {
        auto& text = *static_cast<std::string*>(out);
        for (int i = 0; i < count; ++i) text += (i ? "|" : "") + std::string(values[i] ? values[i] : "NULL");
        text += "\n";
        return 0;
      },
      &rows, nullptr);
  EXPECT_EQ(rc, SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
  return rows;
}

// The tables with their columns (name, type, not null, primary key) and the indexes with their
// columns, sorted: equal for two logs of one schema, whatever order their tables were made in.
inline std::string schema_of(const std::string& path) {
  return query_raw(path,
                   "SELECT 'table', m.name, c.name, c.type, c.\"notnull\", c.pk FROM sqlite_master m "
                   "JOIN pragma_table_info(m.name) c WHERE m.type = 'table' ORDER BY m.name, c.cid") +
         query_raw(path,
                   "SELECT 'index', m.name, l.name, l.\"unique\", l.origin, l.partial, i.seqno, i.name "
                   "FROM sqlite_master m JOIN pragma_index_list(m.name) l JOIN pragma_index_info(l.name) i "
                   "WHERE m.type = 'table' ORDER BY m.name, l.name, i.seqno");
}

}  // namespace nas::log_test
