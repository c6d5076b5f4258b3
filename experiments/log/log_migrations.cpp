#include "experiments/log/log_migrations.hpp"

#include <iterator>
#include <string>

#include "core/error.hpp"
#include "core/fault_injection.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/log/sqlite_database.hpp"

namespace nas {
namespace {

// Format 3: re-evaluations become part of the schema, and a run is recorded in phases, with the shared
// weights of the whole run beside them. The SQL is written out here, not taken from log_schema.cpp:
// this migration must keep producing format 3 after later formats change the schema.
void migrate_2_to_3(SqliteDatabase& db) {
  // `nas reevaluate` created this table, unversioned, in any format-2 log it opened for writing, so a
  // format-2 log may or may not have it; its columns never changed.
  db.execute(R"sql(
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
CREATE TABLE phases(
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  status TEXT NOT NULL,
  outcome TEXT,
  state TEXT,
  started_at REAL,
  finished_at REAL);
CREATE TABLE run_state(
  owner TEXT NOT NULL,
  key TEXT NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY(owner, key));
)sql");
  // A format-2 run was one search, whose state was the run's status: still `running` after a kill
  // (a resume continues it), otherwise how it ended ("finished", "stopped: budget.hours reached",
  // "finished: trial 3 beat seed ..."). Its re-evaluations, if any, stay in their table; they were not
  // a phase of their own then. Position 20 is the search's place in the run layer's order (10 supernet,
  // 20 search, 30 reevaluate, 40 retrain).
  db.execute(R"sql(
INSERT INTO phases(name, position, status, outcome, state, started_at, finished_at)
SELECT 'search', 20,
       CASE WHEN run.status = 'running' THEN 'running' ELSE 'done' END,
       CASE WHEN run.status = 'running' THEN NULL ELSE run.status END,
       NULL,
       (SELECT proposed_at FROM trials ORDER BY id LIMIT 1),
       CASE WHEN run.status = 'running' THEN NULL ELSE (SELECT MAX(finished_at) FROM trials) END
FROM (SELECT value AS status FROM meta WHERE key = 'status') AS run;
)sql");
}

// Format 4: each trial records where it trained (the rank and host of an MPI job); NULL for trials
// of earlier runs, which trained on the machine that ran the search.
void migrate_3_to_4(SqliteDatabase& db) { db.execute("ALTER TABLE trials ADD COLUMN trained_on TEXT;"); }

constexpr LogMigration kMigrations[] = {
    {2, "re-evaluations in the schema; phases and run_state tables", migrate_2_to_3},
    {3, "trials record where they trained (trained_on)", migrate_3_to_4},
};

constexpr bool consecutive() {
  for (std::size_t i = 0; i < std::size(kMigrations); ++i)
    if (kMigrations[i].from_version != kMigrations[0].from_version + static_cast<int>(i)) return false;
  return true;
}
static_assert(consecutive(), "each migration starts from the format the one before it gives");
static_assert(kMigrations[0].from_version + static_cast<int>(std::size(kMigrations)) == SearchLog::format_version,
              "the migrations must end at SearchLog::format_version: a new format needs its migration");

}  // namespace

const std::vector<LogMigration>& log_migrations() {
  static const std::vector<LogMigration> migrations(std::begin(kMigrations), std::end(kMigrations));
  return migrations;
}

int oldest_migratable_format() { return kMigrations[0].from_version; }

void migrate_log(SqliteDatabase& db, int from_version, bool on_file) {
  if (from_version < oldest_migratable_format() || from_version >= SearchLog::format_version)
    throw Error(db.path(), "cannot migrate a search log of format " + std::to_string(from_version) + " to format " +
                               std::to_string(SearchLog::format_version));
  SqliteTransaction transaction(db);
  for (const LogMigration& migration : kMigrations) {
    if (migration.from_version < from_version) continue;
    try {
      migration.apply(db);
    } catch (const Error&) {
      // SQLite's own message, without the statement: a migration's SQL is too long to quote.
      throw Error(db.path(), "cannot migrate it from search log format " + std::to_string(migration.from_version) +
                                 " to " + std::to_string(migration.from_version + 1) + ": " +
                                 sqlite3_errmsg(db.handle()));
    }
  }
  SqliteStatement set_version(db, "UPDATE meta SET value = ?1 WHERE key = 'format_version'");
  SqliteQuery(set_version).bind(1, std::to_string(SearchLog::format_version)).run();
  if (on_file) maybe_kill_at("migration", from_version);
  transaction.commit();
}

}  // namespace nas
