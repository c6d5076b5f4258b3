// Logs of older formats: readers read them through an in-memory migrated copy without writing them;
// writers back them up and migrate them at their first write, all or nothing. The format-2 run they
// open is committed (tests/fixtures/format2-run) and copied to a scratch directory first.
#include "experiments/log/log_migrations.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.hpp"
#include "experiments/log/search_log.hpp"
#include "tests/experiments/log/raw_sqlite.hpp"
#include "tests/support/search_log_fixture.hpp"

namespace nas {
namespace {

using log_test::copy_format2_run;
using log_test::execute_raw;
using log_test::file_bytes;
using log_test::make_run_info;
using log_test::query_raw;
using log_test::schema_of;
using testing::error_of;

namespace fs = std::filesystem;

class LogMigrationTest : public log_test::ScratchDirTest {
 protected:
  // A copy of the format-2 run in the scratch directory.
  std::string format2_run(const std::string& name = "format2-run") { return copy_format2_run(dir(name)); }

  // The schema of a log made now, at the current format.
  std::string fresh_schema() {
    SearchLog::create(dir("fresh"), make_run_info());
    return schema_of(dir("fresh") + "/search.db");
  }

  // The names in `run_dir` that a migration's backup would have.
  static std::vector<std::string> backups(const std::string& run_dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(run_dir))
      if (entry.path().filename().string().find(".bak") != std::string::npos)
        names.push_back(entry.path().filename().string());
    return names;
  }
};

// Everything a log holds except its format: equal before and after a migration.
Json content_of(const SearchLog& log) {
  Json trials = Json::array();
  for (const TrialRow& row : log.trials()) {
    Json trial = {{"id", row.id},         {"arch", row.arch},     {"hash", row.arch_hash},
                  {"short", row.short_form}, {"seed", row.seed},   {"status", to_string(row.status)},
                  {"proposed_at", row.proposed_at}, {"error", row.error}, {"reused_from", row.reused_from}};
    if (row.started_at) trial["started_at"] = *row.started_at;
    if (row.finished_at) trial["finished_at"] = *row.finished_at;
    if (row.metrics) trial["metrics"] = to_json(*row.metrics);
    trials.push_back(trial);
  }
  Json exports = Json::array();
  for (const ExportRecord& record : log.exports())
    exports.push_back({record.trial_id, record.file, record.retrain_epochs, record.test_accuracy, record.test_loss,
                       record.created_at});
  Json reevaluations = Json::array();
  for (const ReevaluationRow& row : log.reevaluations())
    reevaluations.push_back({row.trial_id, row.repeat, row.seed, to_string(row.status), to_json(row.metrics), row.error});
  const auto checkpoint = log.latest_checkpoint();
  const RunInfo info = log.info();
  return {{"trials", trials},
          {"exports", exports},
          {"reevaluations", reevaluations},
          {"checkpoint", checkpoint ? Json{checkpoint->after_trial, checkpoint->controller, checkpoint->proposed,
                                           checkpoint->search_seconds}
                                    : Json()},
          {"info", {info.name, info.seed, info.experiment_text, info.experiment_json, info.experiment_hash,
                    info.program_version, info.created_at, info.status}}};
}

TEST(LogMigrations, LeadFromTheOldestMigratableFormatToTheCurrentOne) {
  const std::vector<LogMigration>& migrations = log_migrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations.front().from_version, oldest_migratable_format());
  EXPECT_EQ(oldest_migratable_format(), 2);
  EXPECT_EQ(migrations.front().from_version + static_cast<int>(migrations.size()), SearchLog::format_version);
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].from_version, oldest_migratable_format() + static_cast<int>(i));
    EXPECT_NE(migrations[i].apply, nullptr);
    EXPECT_FALSE(std::string(migrations[i].summary).empty());
  }
}

TEST_F(LogMigrationTest, Format2RunIsReadWithoutBeingWritten) {
  const std::string run_dir = format2_run();
  const std::string path = run_dir + "/search.db";
  const std::string original = file_bytes(path);
  ASSERT_EQ(original, file_bytes(log_test::format2_run_fixture() + "/search.db"));
  {
    SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
    EXPECT_EQ(log.path(), path);
    EXPECT_EQ(log.stored_format_version(), 2);
    EXPECT_FALSE(log.upgrade().has_value());
    EXPECT_EQ(log.info().format_version, SearchLog::format_version) << "readers see the migrated copy";
    EXPECT_EQ(log.info().name, "format2-fixture");
    EXPECT_EQ(log.info().status, "finished");

    const std::vector<TrialRow> trials = log.trials();
    ASSERT_EQ(trials.size(), 14u);
    std::vector<std::int64_t> failed, reused;
    for (const TrialRow& row : trials) {
      if (row.status == TrialStatus::failed) failed.push_back(row.id);
      if (row.reused_from >= 0) reused.push_back(row.id);
    }
    EXPECT_EQ(failed, (std::vector<std::int64_t>{0, 1, 2, 6, 8, 12}));
    EXPECT_EQ(reused, (std::vector<std::int64_t>{9}));
    EXPECT_EQ(trials[9].reused_from, 5);
    EXPECT_NE(trials[0].error.find("evaluator.max_params"), std::string::npos) << trials[0].error;
    EXPECT_EQ(log.status_counts().done, 8);
    ASSERT_TRUE(log.best().has_value());

    const std::vector<ExportRecord> exports = log.exports();
    ASSERT_EQ(exports.size(), 1u);
    EXPECT_EQ(exports[0].trial_id, 13);
    EXPECT_EQ(exports[0].file, "model.pt");
    EXPECT_EQ(exports[0].retrain_epochs, 0);

    const std::vector<ReevaluationRow> reevaluations = log.reevaluations();
    ASSERT_EQ(reevaluations.size(), 4u);
    EXPECT_EQ(reevaluations[0].trial_id, 7);
    EXPECT_EQ(reevaluations[3].trial_id, 13);
    EXPECT_EQ(reevaluations[3].repeat, 1);
    for (const ReevaluationRow& row : reevaluations) EXPECT_EQ(row.status, TrialStatus::done);

    const auto checkpoint = log.latest_checkpoint();
    ASSERT_TRUE(checkpoint.has_value());
    EXPECT_EQ(checkpoint->after_trial, 13);
    EXPECT_EQ(checkpoint->proposed, 14);
    EXPECT_FALSE(checkpoint->controller.empty());

    // A format-2 run was one search; how it ended was the run's status.
    const std::vector<PhaseRow> phases = log.phases();
    ASSERT_EQ(phases.size(), 1u);
    EXPECT_EQ(phases[0].name, "search");
    EXPECT_EQ(phases[0].position, 20);
    EXPECT_EQ(phases[0].status, PhaseStatus::done);
    EXPECT_EQ(phases[0].outcome, "finished");
    EXPECT_TRUE(phases[0].state.is_null());
    EXPECT_EQ(phases[0].started_at, trials.front().proposed_at);
    EXPECT_EQ(phases[0].finished_at, trials.back().finished_at) << "trial 13 finished last";
    EXPECT_TRUE(log.run_state("autognn_layers").empty());

    // A reader refuses to write, also to its in-memory copy.
    EXPECT_NE(error_of([&] { log.set_status("stopped"); }).find("reading only"),
              std::string::npos);
  }
  EXPECT_EQ(file_bytes(path), original);
  EXPECT_TRUE(backups(run_dir).empty());
}

TEST_F(LogMigrationTest, WriterThatDoesNotWriteLeavesTheFileAsItWas) {
  const std::string run_dir = format2_run();
  const std::string path = run_dir + "/search.db";
  const std::string original = file_bytes(path);
  {
    SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_write);
    EXPECT_EQ(log.stored_format_version(), 2);
    EXPECT_EQ(log.trials().size(), 14u);
    EXPECT_EQ(log.phases().size(), 1u);
    // Refusals come before the first write: still nothing written.
    EXPECT_NE(error_of([&] { log.set_status("paused"); }).find("paused"), std::string::npos);
    EXPECT_NE(error_of([&] { log.add_phase("search", 20); }).find("already"), std::string::npos);
    EXPECT_NE(error_of([&] { log.set_phase_status("search", PhaseStatus::running, "why"); }).find("outcome"),
              std::string::npos);
    EXPECT_NE(error_of([&] { log.checkpoint_phase("search", Json::object(), StateChanges{"", {{"k", "v"}}}); })
                  .find("owner"),
              std::string::npos);
    Trial pending;
    pending.id = 0;
    EXPECT_NE(error_of([&] { log.finish_trial(pending, Checkpoint{Json::object()}); }).find("must be done or failed"),
              std::string::npos);
    EXPECT_FALSE(log.upgrade().has_value());
  }
  EXPECT_EQ(file_bytes(path), original);
  EXPECT_TRUE(backups(run_dir).empty());
  EXPECT_EQ(SearchLog::open(run_dir, SearchLog::Mode::read_only).stored_format_version(), 2);
}

TEST_F(LogMigrationTest, FirstWriteBacksUpThenMigratesTheFile) {
  const std::string run_dir = format2_run();
  const std::string path = run_dir + "/search.db";
  const std::string original = file_bytes(path);
  const Json content = content_of(SearchLog::open(run_dir, SearchLog::Mode::read_only));
  {
    SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_write);
    log.add_phase("reevaluate", 30);
    const auto upgrade = log.upgrade();
    ASSERT_TRUE(upgrade.has_value());
    EXPECT_EQ(upgrade->from_version, 2);
    EXPECT_EQ(upgrade->to_version, SearchLog::format_version);
    EXPECT_EQ(upgrade->backup, path + ".bak-format2");
    EXPECT_EQ(log.stored_format_version(), 2) << "what the file was when opened";
    // Later writes go to the migrated file; no second backup.
    log.set_phase_status("reevaluate", PhaseStatus::skipped, "not asked for");
    EXPECT_EQ(log.upgrade()->backup, upgrade->backup);
    EXPECT_EQ(log.phases().size(), 2u);
  }
  EXPECT_EQ(file_bytes(path + ".bak-format2"), original) << "the backup is the file as it was";
  EXPECT_EQ(backups(run_dir), (std::vector<std::string>{"search.db.bak-format2"})) << "no temporary file left";
  EXPECT_EQ(query_raw(path, "SELECT value FROM meta WHERE key = 'format_version'"), "4\n");
  EXPECT_EQ(query_raw(path, "PRAGMA journal_mode"), "wal\n");

  SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_write);
  EXPECT_EQ(log.stored_format_version(), SearchLog::format_version);
  EXPECT_FALSE(log.upgrade().has_value());
  EXPECT_EQ(content_of(log), content) << "every trial, export, re-evaluation and the checkpoint are kept";
  const std::vector<PhaseRow> phases = log.phases();
  ASSERT_EQ(phases.size(), 2u);
  EXPECT_EQ(phases[0].name, "search");
  EXPECT_EQ(phases[0].outcome, "finished");
  EXPECT_EQ(phases[1].name, "reevaluate");
  EXPECT_EQ(phases[1].status, PhaseStatus::skipped);
  // The migrated log goes on like any other: ids continue, records are stored.
  EXPECT_EQ(log.add_trial(log_test::make_arch("new"), 99), 14);
  log.checkpoint_phase("search", Json{{"k", 1}}, StateChanges{"layers", {{"w", std::string("\0x", 2)}}});
  EXPECT_EQ(log.run_state("layers").at(0).bytes, std::string("\0x", 2));

  // The backup is the format-2 log itself: put back as search.db, it opens as such.
  fs::create_directories(dir("restored"));
  fs::copy_file(path + ".bak-format2", dir("restored") + "/search.db");
  const SearchLog restored = SearchLog::open(dir("restored"), SearchLog::Mode::read_only);
  EXPECT_EQ(restored.stored_format_version(), 2);
  EXPECT_EQ(content_of(restored), content);
}

TEST_F(LogMigrationTest, MigratedFileHasTheSchemaOfANewLog) {
  const std::string expected = fresh_schema();
  ASSERT_NE(expected.find("table|phases|position|INTEGER|1|0"), std::string::npos) << expected;
  ASSERT_NE(expected.find("table|run_state|value|BLOB|1|0"), std::string::npos) << expected;
  ASSERT_NE(expected.find("index|trials|trials_by_arch_hash"), std::string::npos) << expected;
  // With the reevaluations table a format-2 program made on its first re-evaluation, and without it.
  for (const bool without_reevaluations : {false, true}) {
    const std::string run_dir = format2_run(without_reevaluations ? "plain" : "reevaluated");
    if (without_reevaluations) execute_raw(run_dir + "/search.db", "DROP TABLE reevaluations");
    {
      SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_write);
      EXPECT_EQ(log.reevaluations().size(), without_reevaluations ? 0u : 4u);
      log.set_status("finished");
      ASSERT_TRUE(log.upgrade().has_value());
    }
    EXPECT_EQ(schema_of(run_dir + "/search.db"), expected) << (without_reevaluations ? "without" : "with")
                                                           << " a reevaluations table";
  }
}

TEST_F(LogMigrationTest, SearchPhaseOfAFormat2RunFollowsTheRunsStatus) {
  const std::pair<std::string, PhaseStatus> cases[] = {
      {"running", PhaseStatus::running},  // killed: a resume continues the search
      {"stopped: budget.hours reached", PhaseStatus::done},
      {"finished: trial 3 beat seed resnet18", PhaseStatus::done},
  };
  int index = 0;
  for (const auto& [status, phase_status] : cases) {
    const std::string run_dir = format2_run("run" + std::to_string(index++));
    execute_raw(run_dir + "/search.db", "UPDATE meta SET value = '" + status + "' WHERE key = 'status'");
    const std::vector<PhaseRow> phases = SearchLog::open(run_dir, SearchLog::Mode::read_only).phases();
    ASSERT_EQ(phases.size(), 1u);
    EXPECT_EQ(phases[0].status, phase_status) << status;
    EXPECT_EQ(phases[0].outcome, phase_status == PhaseStatus::running ? "" : status);
    EXPECT_TRUE(phases[0].started_at.has_value());
    EXPECT_EQ(phases[0].finished_at.has_value(), phase_status != PhaseStatus::running) << status;
  }
  // A run killed before its first trial had no start yet.
  const std::string empty_dir = format2_run("empty");
  execute_raw(empty_dir + "/search.db", "DELETE FROM trials; UPDATE meta SET value = 'running' WHERE key = 'status'");
  const PhaseRow search = SearchLog::open(empty_dir, SearchLog::Mode::read_only).phases().at(0);
  EXPECT_EQ(search.status, PhaseStatus::running);
  EXPECT_FALSE(search.started_at.has_value());
}

TEST_F(LogMigrationTest, CommitsStillInTheWriteAheadLogAreMigratedAndBackedUp) {
  // A format-2 run killed while it wrote: its last commits (trial 13 finishing; nas's writer only ever
  // adds to what the file holds) are in search.db-wal, not in the file.
  const std::string run_dir = format2_run();
  const std::string path = run_dir + "/search.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TEMP TABLE finished AS SELECT * FROM trials WHERE id = 13; "
                             "UPDATE trials SET status = 'running', finished_at = NULL, val_accuracy = NULL WHERE id = 13; "
                             "PRAGMA wal_checkpoint(TRUNCATE)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  int off = 0;
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, &off);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA wal_autocheckpoint = 0; UPDATE meta SET value = 'running' WHERE key = 'status'; "
                             "UPDATE trials SET status = 'done', finished_at = (SELECT finished_at FROM finished), "
                             "val_accuracy = (SELECT val_accuracy FROM finished) WHERE id = 13",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  ASSERT_GT(fs::file_size(path + "-wal"), 0u);

  const Json content = content_of(SearchLog::open(run_dir, SearchLog::Mode::read_only));
  EXPECT_EQ(content["info"][7], "running");
  {
    SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_write);
    EXPECT_EQ(log.phases().at(0).status, PhaseStatus::running);
    log.set_status("running");
    ASSERT_TRUE(log.upgrade().has_value());
  }
  fs::create_directories(dir("restored"));
  fs::copy_file(path + ".bak-format2", dir("restored") + "/search.db");
  const SearchLog restored = SearchLog::open(dir("restored"), SearchLog::Mode::read_only);
  EXPECT_EQ(restored.stored_format_version(), 2);
  EXPECT_EQ(content_of(restored), content) << "the backup holds the commits that were in the WAL";
  const SearchLog migrated = SearchLog::open(run_dir, SearchLog::Mode::read_only);
  EXPECT_EQ(content_of(migrated), content);
  EXPECT_EQ(migrated.phases().at(0).status, PhaseStatus::running);
  EXPECT_EQ(migrated.trials()[13].status, TrialStatus::done);
}

TEST_F(LogMigrationTest, KillInsideTheMigrationLeavesTheOldFormat) {
  const std::string run_dir = format2_run();
  const std::string path = run_dir + "/search.db";
  const std::string original = file_bytes(path);
  const Json content = content_of(SearchLog::open(run_dir, SearchLog::Mode::read_only));
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    try {
      setenv("NAS_FAULT_KILL_AT", "migration:2", 1);
      SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_write);  // migrates in memory: not the point
      log.set_status("stopped: killed in the migration");
    } catch (...) {
    }
    _exit(1);  // never return into the test runner in the child
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the migration's fault point did not fire";

  EXPECT_EQ(file_bytes(path), original) << "a migration writes the file only when it commits";
  {
    const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
    EXPECT_EQ(log.stored_format_version(), 2);
    EXPECT_EQ(content_of(log), content);
  }
  // The next writer migrates it, taking the backup again.
  {
    SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_write);
    log.set_status("finished");
    ASSERT_TRUE(log.upgrade().has_value());
  }
  const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
  EXPECT_EQ(log.stored_format_version(), SearchLog::format_version);
  EXPECT_EQ(content_of(log), content);
  fs::create_directories(dir("restored"));
  fs::copy_file(path + ".bak-format2", dir("restored") + "/search.db");
  EXPECT_EQ(content_of(SearchLog::open(dir("restored"), SearchLog::Mode::read_only)), content);
}

TEST_F(LogMigrationTest, NewerFormatIsRefusedNamingBothVersions) {
  for (const std::string& run_dir : {format2_run(), [&] {
         SearchLog::create(dir("current"), make_run_info());
         return dir("current");
       }()}) {
    const std::string path = run_dir + "/search.db";
    execute_raw(path, "UPDATE meta SET value = '99' WHERE key = 'format_version'");
    const std::string before = file_bytes(path);
    for (const auto mode : {SearchLog::Mode::read_only, SearchLog::Mode::read_write}) {
      const std::string message = error_of([&] { SearchLog::open(run_dir, mode); });
      EXPECT_NE(message.find(path), std::string::npos) << message;
      EXPECT_NE(message.find("newer version of nas"), std::string::npos) << message;
      EXPECT_NE(message.find("format 99"), std::string::npos) << message;
      EXPECT_NE(message.find("to " + std::to_string(SearchLog::format_version) + ")"), std::string::npos) << message;
    }
    EXPECT_EQ(file_bytes(path), before);
    EXPECT_TRUE(backups(run_dir).empty());
  }
}

TEST_F(LogMigrationTest, CommittedFixtureIsStillFormat2) {
  // Guards the committed files themselves (read without SQLite, so nothing appears beside them).
  const std::string fixture = log_test::format2_run_fixture();
  ASSERT_TRUE(fs::exists(fixture + "/search.db"));
  EXPECT_TRUE(fs::exists(fixture + "/weights/trial-13.pt"));
  EXPECT_FALSE(fs::exists(fixture + "/search.db-wal")) << "something opened the committed log in place";
  EXPECT_FALSE(fs::exists(fixture + "/search.db.bak-format2")) << "something wrote the committed log";
  const std::string scratch = format2_run();
  EXPECT_EQ(SearchLog::open(scratch, SearchLog::Mode::read_only).stored_format_version(), 2);
}

}  // namespace
}  // namespace nas
