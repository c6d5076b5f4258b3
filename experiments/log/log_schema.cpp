#include "experiments/log/log_schema.hpp"

#include <regex>

namespace nas {

// Format 4. A change here is a new format: bump SearchLog::format_version and add the migration that
// takes a log of the previous format here (log_migrations.cpp).
const char* log_schema_sql() {
  return R"sql(
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
  reported TEXT,
  trained_on TEXT);
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
-- One row per finished repeat of `nas reevaluate`.
CREATE TABLE reevaluations(
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
-- The parts of a run (search, reevaluate; later supernet, retrain), each with where it stands and its
-- own checkpoint, so that a resumed run knows which part to continue.
CREATE TABLE phases(
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL,  -- the phase's place in the run, given by the writer; rows are read by position
  status TEXT NOT NULL,       -- pending, running, done, skipped
  outcome TEXT,               -- how it ended, e.g. "finished" or "stopped: budget.hours reached"; NULL until then
  state TEXT,                 -- JSON: the phase's own checkpoint; NULL: none
  started_at REAL,
  finished_at REAL);
-- The run's shared weights (run-long state), by owner and key: opaque bytes that only their owner's
-- code decodes. A checkpoint replaces the records that changed, not the whole state.
CREATE TABLE run_state(
  owner TEXT NOT NULL,
  key TEXT NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY(owner, key));
)sql";
}

const std::vector<std::string>& log_schema_tables() {
  static const std::vector<std::string> tables = [] {
    std::vector<std::string> names;
    const std::string sql = log_schema_sql();
    static const std::regex create_table(R"(CREATE TABLE (\w+)\()");
    for (auto match = std::sregex_iterator(sql.begin(), sql.end(), create_table); match != std::sregex_iterator(); ++match)
      names.push_back((*match)[1].str());
    return names;
  }();
  return tables;
}

}  // namespace nas
