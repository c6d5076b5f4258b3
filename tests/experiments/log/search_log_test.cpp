#include "experiments/log/search_log.hpp"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <regex>

#include "core/error.hpp"
#include "experiments/log/run_lock.hpp"
#include "tests/experiments/log/raw_sqlite.hpp"
#include "tests/support/search_log_fixture.hpp"

namespace nas {
namespace {

using log_test::done_trial;
using log_test::execute_raw;
using log_test::failed_trial;
using log_test::file_bytes;
using log_test::make_arch;
using log_test::make_run_info;
using log_test::write_file;

class SearchLogTest : public log_test::ScratchDirTest {};

// Runs `body` and returns the nas::Error message it must throw.
template <typename Body>
std::string error_of(Body body) {
  try {
    body();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no nas::Error thrown";
  return "";
}


TEST_F(SearchLogTest, CreateStoresRunInfo) {
  const RunInfo given = make_run_info();
  SearchLog log = SearchLog::create(dir("run"), given);
  EXPECT_EQ(log.path(), dir("run") + "/search.db");
  const RunInfo stored = log.info();
  EXPECT_EQ(stored.name, given.name);
  EXPECT_EQ(stored.seed, given.seed);
  EXPECT_EQ(stored.experiment_text, given.experiment_text);
  EXPECT_EQ(stored.experiment_json, given.experiment_json);
  EXPECT_EQ(stored.experiment_hash, given.experiment_hash);
  EXPECT_EQ(stored.format_version, SearchLog::format_version);
  EXPECT_FALSE(stored.program_version.empty());
  EXPECT_TRUE(std::regex_match(stored.created_at,
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << stored.created_at;
  EXPECT_EQ(stored.status, "running");

  log.set_status("finished");
  EXPECT_EQ(log.info().status, "finished");
  log.set_status("stopped: budget.hours reached");
  EXPECT_EQ(log.info().status, "stopped: budget.hours reached");
  EXPECT_NE(error_of([&] { log.set_status("paused"); }).find("paused"), std::string::npos);
  EXPECT_NE(error_of([&] { log.set_status("paused: lunch"); }).find("paused"), std::string::npos);
}

TEST_F(SearchLogTest, TrialsRoundTripThroughReopen) {
  const Architecture a = make_arch("a"), b = make_arch("b"), c = make_arch("c"), d = make_arch("d");
  const std::uint64_t big_seed = 0xFEDCBA9876543210ULL;  // above INT64_MAX: stored by bit pattern
  {
    SearchLog log = SearchLog::create(dir("run"), make_run_info());
    EXPECT_EQ(log.add_trial(a, 1), 0);
    EXPECT_EQ(log.add_trial(b, big_seed), 1);
    EXPECT_EQ(log.add_trial(c, 3), 2);
    EXPECT_EQ(log.add_trial(d, 4), 3);
    log.mark_running(0);
    log.mark_running(1);
    log.mark_running(2);
    log.finish_trial(done_trial(0, a, 0.80), Checkpoint{Json{{"after", 0}}});
    log.finish_trial(failed_trial(1, b, "out of memory"), Checkpoint{Json{{"after", 1}}});
    Trial with_reported = done_trial(2, c, 0.90);
    with_reported.metrics.reported = {{"c10_test_acc200", 0.9437}, {"c100_test_acc200", 0.7351}};
    log.finish_trial(with_reported, Checkpoint{Json{{"after", 2}}, 4, 12.5});
  }
  const SearchLog log = SearchLog::open(dir("run"), SearchLog::Mode::read_only);
  const std::vector<TrialRow> rows = log.trials();
  ASSERT_EQ(rows.size(), 4u);
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].id, static_cast<std::int64_t>(i));

  EXPECT_EQ(rows[0].status, TrialStatus::done);
  EXPECT_EQ(rows[0].arch, a.to_json());
  EXPECT_EQ(rows[0].arch_hash, a.hash());
  EXPECT_EQ(rows[0].short_form, a.short_form());
  ASSERT_TRUE(rows[0].metrics.has_value());
  EXPECT_DOUBLE_EQ(rows[0].metrics->val_accuracy, 0.80);
  EXPECT_DOUBLE_EQ(rows[0].metrics->val_loss, 0.20);
  EXPECT_EQ(rows[0].metrics->params, 1000);
  EXPECT_EQ(rows[0].metrics->madds, 2'000'000);
  EXPECT_DOUBLE_EQ(rows[0].metrics->train_seconds, 12.5);
  EXPECT_TRUE(rows[0].error.empty());
  EXPECT_EQ(rows[0].reused_from, -1);
  ASSERT_TRUE(rows[0].started_at && rows[0].finished_at);
  EXPECT_LE(rows[0].proposed_at, *rows[0].started_at);
  EXPECT_LE(*rows[0].started_at, *rows[0].finished_at);

  EXPECT_EQ(rows[1].status, TrialStatus::failed);
  EXPECT_EQ(rows[1].seed, big_seed);
  EXPECT_FALSE(rows[1].metrics.has_value());
  EXPECT_EQ(rows[1].error, "out of memory");

  EXPECT_EQ(rows[3].status, TrialStatus::pending);
  EXPECT_EQ(rows[3].seed, 4u);
  EXPECT_FALSE(rows[3].started_at.has_value());
  EXPECT_FALSE(rows[3].finished_at.has_value());
  EXPECT_FALSE(rows[3].metrics.has_value());

  const TrialStatusCounts counts = log.status_counts();
  EXPECT_EQ(counts.done, 2);
  EXPECT_EQ(counts.failed, 1);
  EXPECT_EQ(counts.pending, 1);
  EXPECT_EQ(counts.running, 0);

  ASSERT_TRUE(log.best().has_value());
  EXPECT_EQ(log.best()->id, 2);

  EXPECT_TRUE(rows[0].metrics->reported.empty());
  EXPECT_EQ(rows[2].metrics->reported, (std::map<std::string, double>{{"c10_test_acc200", 0.9437}, {"c100_test_acc200", 0.7351}}));
  const auto checkpoint = log.latest_checkpoint();
  ASSERT_TRUE(checkpoint.has_value());
  EXPECT_EQ(checkpoint->after_trial, 2);
  EXPECT_EQ(checkpoint->controller, (Json{{"after", 2}}));
  EXPECT_EQ(checkpoint->proposed, 4);
  EXPECT_DOUBLE_EQ(checkpoint->search_seconds, 12.5);

  ASSERT_TRUE(log.find_done_by_hash(a.hash()).has_value());
  EXPECT_EQ(log.find_done_by_hash(a.hash())->id, 0);
  EXPECT_FALSE(log.find_done_by_hash(b.hash()).has_value()) << "a failed trial is not reusable";
  EXPECT_FALSE(log.find_done_by_hash(d.hash()).has_value()) << "a pending trial is not reusable";
  EXPECT_FALSE(log.find_done_by_hash("0000000000000000").has_value());
}

TEST_F(SearchLogTest, ReusedResultPointsAtTheOriginal) {
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  const Architecture a = make_arch("a");
  log.add_trial(a, 1);
  log.finish_trial(done_trial(0, a, 0.7), Checkpoint{Json::object()});
  const auto original = log.find_done_by_hash(a.hash());
  ASSERT_TRUE(original.has_value());

  Trial reuse = done_trial(log.add_trial(a, 2), a, original->metrics->val_accuracy);
  reuse.reused_from = original->id;
  log.finish_trial(reuse, Checkpoint{Json::object()});

  EXPECT_EQ(log.trials()[1].reused_from, 0);
  EXPECT_EQ(log.find_done_by_hash(a.hash())->id, 0);
  EXPECT_EQ(log.best()->id, 0) << "equal accuracy: the lowest id wins";
}

TEST_F(SearchLogTest, BestAndTopOrderByAccuracyThenId) {
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  EXPECT_FALSE(log.best().has_value());
  const double accuracies[] = {0.5, 0.9, 0.7, 0.9};
  for (int i = 0; i < 4; ++i) {
    const Architecture arch = make_arch(std::to_string(i));
    log.add_trial(arch, i);
    log.finish_trial(done_trial(i, arch, accuracies[i]), Checkpoint{Json::object()});
  }
  const std::vector<TrialRow> top = log.top_done_trials(3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].id, 1);
  EXPECT_EQ(top[1].id, 3);
  EXPECT_EQ(top[2].id, 2);
  EXPECT_EQ(log.best()->id, 1);
  EXPECT_TRUE(log.top_done_trials(0).empty());
}

TEST_F(SearchLogTest, TopTrainedTrialsNameEachArchitectureOnceByItsBestTraining) {
  // A confirmed climb trains an architecture twice: its better training stands for it, and a reuse
  // of it is no candidate either.
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  const Architecture a = make_arch("a"), b = make_arch("b"), c = make_arch("c");
  const Architecture order[] = {a, b, a, c, b};
  const double accuracies[] = {0.80, 0.82, 0.85, 0.81, 0.79};
  for (int i = 0; i < 5; ++i) {
    log.add_trial(order[i], i);
    log.finish_trial(done_trial(i, order[i], accuracies[i]), Checkpoint{Json::object()});
  }
  log.add_trial(c, 5);
  Trial reuse = done_trial(5, c, 0.81);
  reuse.reused_from = 3;
  log.finish_trial(reuse, Checkpoint{Json::object()});
  std::vector<std::int64_t> ids;
  for (const TrialRow& row : log.top_trained_trials(10)) ids.push_back(row.id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{2, 1, 3}));
  EXPECT_EQ(log.top_trained_trials(2).size(), 2u);
  EXPECT_EQ(log.top_done_trials(10).size(), 6u) << "the search's own ranking keeps every trial";
}

TEST_F(SearchLogTest, ResumedLogContinuesIds) {
  {
    SearchLog log = SearchLog::create(dir("run"), make_run_info());
    log.add_trial(make_arch("a"), 1);
    log.add_trial(make_arch("b"), 2);
  }
  SearchLog log = SearchLog::open(dir("run"), SearchLog::Mode::read_write);
  EXPECT_EQ(log.add_trial(make_arch("c"), 3), 2);
}

TEST_F(SearchLogTest, DiscardingForgetsTrialsProposedAfterTheCheckpoint) {
  const Architecture a = make_arch("a"), b = make_arch("b"), c = make_arch("c");
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  log.add_trial(a, 1);
  log.add_trial(b, 2);
  log.add_trial(c, 3);
  log.mark_running(1);
  log.finish_trial(done_trial(0, a, 0.5), Checkpoint{Json::object(), 2});
  // Trial 2 follows the checkpoint: it is forgotten and its id is proposed again.
  log.discard_trials_from(2);
  ASSERT_EQ(log.trials().size(), 2u);
  EXPECT_EQ(log.add_trial(make_arch("d"), 4), 2);
  // A finished trial is never discarded.
  EXPECT_NE(error_of([&] { log.discard_trials_from(0); }).find("inconsistent"), std::string::npos);
  EXPECT_EQ(log.trials().size(), 3u);
}

TEST_F(SearchLogTest, ExportsAndUpdatedExperimentAreStored) {
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  log.record_export(ExportRecord{3, "model.pt", 0, 0.875, 0.3, ""});
  log.record_export(ExportRecord{3, "retrained.pt", 20, 0.9, 0.25, ""});
  const std::vector<ExportRecord> records = log.exports();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].trial_id, 3);
  EXPECT_EQ(records[1].file, "retrained.pt");
  EXPECT_EQ(records[1].retrain_epochs, 20);
  EXPECT_DOUBLE_EQ(records[1].test_accuracy, 0.9);
  EXPECT_FALSE(records[1].created_at.empty());

  const Json larger = {{"name", "log-test"}, {"budget", {{"trials", 40}}}};
  log.update_experiment(larger, "abc");
  EXPECT_EQ(log.info().experiment_json, larger);
  EXPECT_EQ(log.info().experiment_hash, "abc");
  EXPECT_EQ(log.info().experiment_text, make_run_info().experiment_text) << "the file as written stays";
}

TEST_F(SearchLogTest, SecondWriterIsRefusedWithTheHoldersName) {
  SearchLog::create(dir("run"), make_run_info());  // closed again: the lock goes with it
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    try {
      set_lock_purpose("nas run holder.yaml");
      SearchLog writer = SearchLog::open(dir("run"), SearchLog::Mode::read_write);
      char byte = 1;
      if (write(ready[1], &byte, 1) != 1) _exit(1);
      pause();  // holds the log until killed
    } catch (...) {
    }
    _exit(1);
  }
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);

  const std::string refused = error_of([&] { SearchLog::open(dir("run"), SearchLog::Mode::read_write); });
  EXPECT_NE(refused.find("process " + std::to_string(child)), std::string::npos) << refused;
  EXPECT_NE(refused.find("nas run holder.yaml"), std::string::npos) << refused;
  EXPECT_NE(refused.find(dir("run")), std::string::npos) << refused;
  // Readers are not writers: inspect works while the run holds the lock.
  EXPECT_NO_THROW(SearchLog::open(dir("run"), SearchLog::Mode::read_only).trials());

  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  // The kernel releases the lock of a killed process: resuming after a crash needs no cleanup.
  EXPECT_NO_THROW(SearchLog::open(dir("run"), SearchLog::Mode::read_write));
  close(ready[0]);
  close(ready[1]);
}

TEST_F(SearchLogTest, LatestCheckpointIsTheLastWritten) {
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  EXPECT_FALSE(log.latest_checkpoint().has_value());
  const Architecture a = make_arch("a"), b = make_arch("b");
  log.add_trial(a, 1);
  log.add_trial(b, 2);
  log.finish_trial(done_trial(1, b, 0.5), Checkpoint{Json{{"state", "after 1"}}});
  log.finish_trial(done_trial(0, a, 0.6), Checkpoint{Json{{"state", "after 0"}}});
  EXPECT_EQ(log.latest_checkpoint()->after_trial, 0);
  EXPECT_EQ(log.latest_checkpoint()->controller["state"], "after 0");
}

TEST_F(SearchLogTest, RefusedFinishWritesNothing) {
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  const Architecture a = make_arch("a"), other = make_arch("other");
  log.add_trial(a, 1);
  log.finish_trial(done_trial(0, a, 0.5), Checkpoint{Json{{"state", 0}}});

  EXPECT_NE(error_of([&] { log.finish_trial(done_trial(0, a, 0.9), Checkpoint{Json{{"state", 1}}}); })
                .find("already done"),
            std::string::npos);
  EXPECT_NE(error_of([&] { log.finish_trial(done_trial(7, a, 0.9), Checkpoint{Json{{"state", 1}}}); })
                .find("no such trial"),
            std::string::npos);
  log.add_trial(a, 2);
  EXPECT_NE(error_of([&] { log.finish_trial(done_trial(1, other, 0.9), Checkpoint{Json{{"state", 1}}}); })
                .find("architecture"),
            std::string::npos);
  Trial still_pending = done_trial(1, a, 0.9);
  still_pending.status = TrialStatus::pending;
  EXPECT_NE(error_of([&] { log.finish_trial(still_pending, Checkpoint{Json{{"state", 1}}}); })
                .find("must be done or failed"),
            std::string::npos);
  Trial nan_loss = done_trial(1, a, 0.9);
  nan_loss.metrics.val_loss = std::nan("");
  EXPECT_NE(error_of([&] { log.finish_trial(nan_loss, Checkpoint{Json{{"state", 1}}}); }).find("not finite"),
            std::string::npos);
  EXPECT_NE(error_of([&] { log.mark_running(9); }).find("no such trial"), std::string::npos);

  EXPECT_EQ(log.latest_checkpoint()->controller, (Json{{"state", 0}}));
  EXPECT_DOUBLE_EQ(log.trials()[0].metrics->val_accuracy, 0.5);
  EXPECT_EQ(log.trials()[1].status, TrialStatus::pending);
}

TEST_F(SearchLogTest, CreateRefusesAnExistingLog) {
  SearchLog::create(dir("run"), make_run_info()).add_trial(make_arch("a"), 1);
  const std::string path = dir("run") + "/search.db";
  const std::string before = file_bytes(path);
  const std::string message = error_of([&] { SearchLog::create(dir("run"), make_run_info()); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("already exists"), std::string::npos) << message;
  EXPECT_EQ(file_bytes(path), before);
  EXPECT_EQ(SearchLog::open(dir("run"), SearchLog::Mode::read_only).trials().size(), 1u);
}

TEST_F(SearchLogTest, OpenRefusesMissingDirectory) {
  const std::string message =
      error_of([&] { SearchLog::open(dir("nowhere"), SearchLog::Mode::read_only); });
  EXPECT_NE(message.find(dir("nowhere")), std::string::npos) << message;
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(dir("nowhere")));
}

TEST_F(SearchLogTest, OpenRefusesDirectoryWithoutLog) {
  std::filesystem::create_directories(dir("empty"));
  for (const auto mode : {SearchLog::Mode::read_only, SearchLog::Mode::read_write}) {
    const std::string message = error_of([&] { SearchLog::open(dir("empty"), mode); });
    EXPECT_NE(message.find(dir("empty")), std::string::npos) << message;
    EXPECT_NE(message.find("no search.db"), std::string::npos) << message;
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir("empty")));
}

class SearchLogDamagedFileTest : public SearchLogTest {
 protected:
  // Puts `bytes` in DIR/search.db, opens it both ways, and checks each refusal names the file,
  // says `reason`, and leaves the bytes as they were.
  void expect_refused(const std::string& bytes, const std::string& reason) {
    std::filesystem::create_directories(dir("damaged"));
    const std::string path = dir("damaged") + "/search.db";
    write_file(path, bytes);
    expect_refused_in_place(path, reason);
  }

  void expect_refused_in_place(const std::string& path, const std::string& reason) {
    const std::string before = file_bytes(path);
    const std::string run_dir = std::filesystem::path(path).parent_path().string();
    for (const auto mode : {SearchLog::Mode::read_only, SearchLog::Mode::read_write}) {
      const std::string message = error_of([&] { SearchLog::open(run_dir, mode); });
      EXPECT_NE(message.find(path), std::string::npos) << message;
      EXPECT_NE(message.find(reason), std::string::npos) << message;
      EXPECT_EQ(file_bytes(path), before) << "the refused file was changed";
    }
  }

  // The bytes of a closed, real log holding `trial_count` finished trials.
  std::string real_log_bytes(int trial_count) {
    const std::string run_dir = dir("real");
    {
      SearchLog log = SearchLog::create(run_dir, make_run_info());
      for (int i = 0; i < trial_count; ++i) {
        const Architecture arch = make_arch(std::to_string(i), std::string(200, 'x'));
        log.add_trial(arch, i);
        log.finish_trial(done_trial(i, arch, 0.5), Checkpoint{Json{{"padding", std::string(500, 'p')}}});
      }
    }
    return file_bytes(run_dir + "/search.db");
  }
};

TEST_F(SearchLogDamagedFileTest, RefusesGarbage) {
  expect_refused(std::string(4096, '\x5a'), "not a SQLite database");
}

TEST_F(SearchLogDamagedFileTest, RefusesEmptyFile) { expect_refused("", "is empty"); }

TEST_F(SearchLogDamagedFileTest, RefusesTruncatedLog) {
  const std::string bytes = real_log_bytes(100);
  ASSERT_GT(bytes.size(), 8u * 4096) << "the log should span many pages";
  expect_refused(bytes.substr(0, bytes.size() / 2), "corrupt");
}

TEST_F(SearchLogDamagedFileTest, RefusesOverwrittenPages) {
  std::string bytes = real_log_bytes(100);
  ASSERT_GT(bytes.size(), 8u * 4096);
  std::fill(bytes.begin() + 4096, bytes.begin() + 3 * 4096, '\x5a');
  expect_refused(bytes, "corrupt");
}

TEST_F(SearchLogDamagedFileTest, RefusesFormatsItCanNeitherReadNorMigrate) {
  // Older formats from 2 on are migrated (log_migration_test.cpp); newer ones and format 1 are not.
  real_log_bytes(1);
  const std::string path = dir("real") + "/search.db";
  execute_raw(path, "UPDATE meta SET value = '" + std::to_string(SearchLog::format_version + 1) + "' WHERE key = 'format_version'");
  expect_refused_in_place(path, "newer version of nas");
  execute_raw(path, "UPDATE meta SET value = '1' WHERE key = 'format_version'");
  expect_refused_in_place(path, "older version of nas, too old to migrate (search log format 1; this program reads formats 2 to " +
                                    std::to_string(SearchLog::format_version) + ")");
  execute_raw(path, "UPDATE meta SET value = '3x' WHERE key = 'format_version'");
  expect_refused_in_place(path, "unreadable format_version '3x'");
  EXPECT_FALSE(std::filesystem::exists(path + ".bak-format1"));
}

TEST_F(SearchLogDamagedFileTest, RefusesALogOfTheCurrentFormatMissingOneOfItsTables) {
  real_log_bytes(1);
  const std::string path = dir("real") + "/search.db";
  execute_raw(path, "DROP TABLE phases");
  expect_refused_in_place(path, "without its table 'phases'");
}

TEST_F(SearchLogDamagedFileTest, RefusesForeignSqliteDatabase) {
  std::filesystem::create_directories(dir("foreign"));
  const std::string path = dir("foreign") + "/search.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE notes(text TEXT)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  expect_refused_in_place(path, "not a nas search log");
}

// Found by fuzz_search_log: a number too large for a double in a stored JSON column escaped as
// nlohmann's out_of_range ("number overflow parsing '96e429'"), naming neither the log nor the trial.
TEST_F(SearchLogTest, AStoredJsonNumberTooLargeIsAnErrorNamingTheTrial) {
  {
    SearchLog log = SearchLog::create(dir("run"), make_run_info());
    log.add_trial(make_arch("a"), 1);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir("run") + "/search.db").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "UPDATE trials SET arch = '{\"x\": 96e429}'", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  const std::string message =
      error_of([&] { SearchLog::open(dir("run"), SearchLog::Mode::read_only).trials(); });
  EXPECT_NE(message.find("trial 0: stored architecture is not valid JSON"), std::string::npos) << message;
}

TEST_F(SearchLogTest, FinishedTrialSurvivesKillingTheProcess) {
  const Architecture a = make_arch("a"), b = make_arch("b");
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    // The child is the run: it finishes one trial, starts another, and dies without cleaning up.
    try {
      SearchLog log = SearchLog::create(dir("run"), make_run_info());
      log.add_trial(a, 1);
      log.finish_trial(done_trial(0, a, 0.75), Checkpoint{Json{{"after", 0}}});
      log.mark_running(log.add_trial(b, 2));
      kill(getpid(), SIGKILL);
    } catch (...) {
    }
    _exit(1);  // never return into the test runner in the child
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  const SearchLog log = SearchLog::open(dir("run"), SearchLog::Mode::read_only);
  const std::vector<TrialRow> rows = log.trials();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].status, TrialStatus::done);
  EXPECT_DOUBLE_EQ(rows[0].metrics->val_accuracy, 0.75);
  EXPECT_EQ(rows[1].status, TrialStatus::running);
  EXPECT_EQ(log.latest_checkpoint()->controller, (Json{{"after", 0}}));
  SearchLog resumed = SearchLog::open(dir("run"), SearchLog::Mode::read_write);
  EXPECT_EQ(resumed.add_trial(make_arch("c"), 3), 2);
}

TEST_F(SearchLogTest, ReaderIsNotBlockedByAnOpenWriteTransaction) {
  SearchLog writer = SearchLog::create(dir("run"), make_run_info());
  const Architecture a = make_arch("a");
  writer.add_trial(a, 1);

  // A second writer connection holds the write lock with an uncommitted change.
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(writer.path().c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE; UPDATE trials SET status = 'failed' WHERE id = 0",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(holder);

  const auto start = std::chrono::steady_clock::now();
  const SearchLog reader = SearchLog::open(dir("run"), SearchLog::Mode::read_only);
  const std::vector<TrialRow> rows = reader.trials();
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status, TrialStatus::pending) << "the reader saw an uncommitted change";
  EXPECT_LT(waited, 1.0) << "the reader waited for the writer";

  ASSERT_EQ(sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(holder);

  writer.finish_trial(done_trial(0, a, 0.75), Checkpoint{Json::object()});
  EXPECT_EQ(reader.trials()[0].status, TrialStatus::done) << "a commit is visible to the reader";
}

TEST_F(SearchLogTest, SnapshotHidesLaterCommits) {
  SearchLog writer = SearchLog::create(dir("run"), make_run_info());
  writer.add_trial(make_arch("a"), 1);
  const SearchLog reader = SearchLog::open(dir("run"), SearchLog::Mode::read_only);
  {
    SearchLog::ReadSnapshot snapshot(reader);
    EXPECT_EQ(reader.trials().size(), 1u);
    writer.add_trial(make_arch("b"), 2);
    EXPECT_EQ(reader.status_counts().pending, 1);
  }
  EXPECT_EQ(reader.status_counts().pending, 2);
}

TEST_F(SearchLogTest, NewLogIsOfTheCurrentFormatWithoutPhases) {
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  EXPECT_EQ(SearchLog::format_version, 4);
  EXPECT_EQ(log.stored_format_version(), SearchLog::format_version);
  EXPECT_FALSE(log.upgrade().has_value());
  EXPECT_TRUE(log.phases().empty());
  EXPECT_TRUE(log.run_state("autognn_layers").empty());
  EXPECT_TRUE(log.reevaluations().empty());
  log.set_status("finished");
  EXPECT_FALSE(log.upgrade().has_value()) << "a log of the current format is not migrated";
  EXPECT_FALSE(std::filesystem::exists(dir("run") + "/search.db.bak-format4"));
}

TEST_F(SearchLogTest, ReadOnlyLogRefusesWrites) {
  SearchLog::create(dir("run"), make_run_info()).add_phase("search", 20);
  const std::string path = dir("run") + "/search.db";
  const std::string before = file_bytes(path);
  SearchLog reader = SearchLog::open(dir("run"), SearchLog::Mode::read_only);
  for (const std::string& message :
       {error_of([&] { reader.set_status("finished"); }), error_of([&] { reader.add_phase("reevaluate", 30); }),
        error_of([&] { reader.checkpoint_phase("search", Json::object(), {}); })}) {
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("reading only"), std::string::npos) << message;
  }
  EXPECT_EQ(file_bytes(path), before);
}

TEST_F(SearchLogTest, PhaseStatusesRoundTripThroughText) {
  for (const PhaseStatus status : {PhaseStatus::pending, PhaseStatus::running, PhaseStatus::done, PhaseStatus::skipped})
    EXPECT_EQ(phase_status_from_string(to_string(status)), status);
  EXPECT_EQ(to_string(PhaseStatus::skipped), "skipped");
  EXPECT_NE(error_of([] { phase_status_from_string("paused"); }).find("'paused'"), std::string::npos);
}

TEST_F(SearchLogTest, PhasesRoundTripInPositionOrder) {
  const auto names = [](const std::vector<PhaseRow>& rows) {
    std::vector<std::string> found;
    for (const PhaseRow& row : rows) found.push_back(row.name);
    return found;
  };
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  log.add_phase("search", 20);
  log.add_phase("reevaluate", 30);
  log.add_phase("supernet", 10);
  EXPECT_EQ(names(log.phases()), (std::vector<std::string>{"supernet", "search", "reevaluate"}));
  for (const PhaseRow& row : log.phases()) {
    EXPECT_EQ(row.status, PhaseStatus::pending) << row.name;
    EXPECT_TRUE(row.outcome.empty());
    EXPECT_TRUE(row.state.is_null());
    EXPECT_FALSE(row.started_at || row.finished_at);
  }
  EXPECT_EQ(log.phases()[1].position, 20);

  const std::string duplicate = error_of([&] { log.add_phase("search", 25); });
  EXPECT_NE(duplicate.find("'search'"), std::string::npos) << duplicate;
  EXPECT_NE(duplicate.find("already"), std::string::npos) << duplicate;
  EXPECT_EQ(log.phases().size(), 3u);
  const std::string unknown = error_of([&] { log.set_phase_status("retrain", PhaseStatus::running); });
  EXPECT_NE(unknown.find("'retrain'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("supernet, search, reevaluate"), std::string::npos) << unknown;
  EXPECT_NE(error_of([&] { log.set_phase_status("search", PhaseStatus::running, "why"); }).find("outcome"),
            std::string::npos);

  log.set_phase_status("supernet", PhaseStatus::skipped, "not in this experiment");
  log.set_phase_status("search", PhaseStatus::running);
  PhaseRow search = log.phases()[1];
  EXPECT_EQ(search.status, PhaseStatus::running);
  ASSERT_TRUE(search.started_at.has_value());
  EXPECT_FALSE(search.finished_at.has_value());
  const double first_start = *search.started_at;

  log.set_phase_status("search", PhaseStatus::done, "stopped: budget.hours reached");
  search = log.phases()[1];
  EXPECT_EQ(search.status, PhaseStatus::done);
  EXPECT_EQ(search.outcome, "stopped: budget.hours reached");
  ASSERT_TRUE(search.finished_at.has_value());
  EXPECT_LE(first_start, *search.finished_at);

  // A resume with a larger budget reopens it: no outcome, no end, the first start kept.
  log.set_phase_status("search", PhaseStatus::pending);
  search = log.phases()[1];
  EXPECT_EQ(search.status, PhaseStatus::pending);
  EXPECT_TRUE(search.outcome.empty());
  EXPECT_FALSE(search.finished_at.has_value());
  EXPECT_EQ(search.started_at, first_start);
  log.set_phase_status("search", PhaseStatus::running);
  EXPECT_EQ(log.phases()[1].started_at, first_start) << "started_at is set the first time only";
  log.set_phase_status("search", PhaseStatus::done, "finished");

  const SearchLog reader = SearchLog::open(dir("run"), SearchLog::Mode::read_only);
  const std::vector<PhaseRow> stored = reader.phases();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].name, "supernet");
  EXPECT_EQ(stored[0].status, PhaseStatus::skipped);
  EXPECT_EQ(stored[0].outcome, "not in this experiment");
  EXPECT_TRUE(stored[0].finished_at.has_value());
  EXPECT_FALSE(stored[0].started_at.has_value());
  EXPECT_EQ(stored[1].status, PhaseStatus::done);
  EXPECT_EQ(stored[1].outcome, "finished");
  EXPECT_EQ(stored[1].started_at, first_start);
  EXPECT_EQ(stored[2].status, PhaseStatus::pending);
}

TEST_F(SearchLogTest, RunStateRecordsRoundTripTheirBytes) {
  const std::string zeros("a\0b\0\0c", 6);
  const std::string all_bytes = [] {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
    return bytes;
  }();
  {
    SearchLog log = SearchLog::create(dir("run"), make_run_info());
    log.add_phase("search", 20);
    log.checkpoint_phase("search", Json{{"generation", 3}},
                         StateChanges{"autognn_layers", {{"layer/1", zeros}, {"layer/0", all_bytes}, {"empty", ""}}});
    log.checkpoint_phase("search", Json{{"generation", 4}}, StateChanges{"other", {{"layer/0", "other's"}}});
    // A later checkpoint replaces the records that changed and keeps the others.
    log.checkpoint_phase("search", Json{{"generation", 5}}, StateChanges{"autognn_layers", {{"layer/0", zeros + zeros}}});
    EXPECT_NE(error_of([&] { log.checkpoint_phase("search", Json::object(), StateChanges{"", {{"k", "v"}}}); })
                  .find("owner"),
              std::string::npos);
    const std::string unknown = error_of([&] { log.checkpoint_phase("retrain", Json::object(), StateChanges{"x", {{"k", "v"}}}); });
    EXPECT_NE(unknown.find("'retrain'"), std::string::npos) << unknown;
    EXPECT_TRUE(log.run_state("x").empty()) << "a refused checkpoint writes no records";
  }
  const SearchLog log = SearchLog::open(dir("run"), SearchLog::Mode::read_only);
  const std::vector<StateRecord> records = log.run_state("autognn_layers");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].key, "empty");
  EXPECT_EQ(records[0].bytes, "");
  EXPECT_EQ(records[1].key, "layer/0");
  EXPECT_EQ(records[1].bytes, zeros + zeros);
  EXPECT_EQ(records[1].bytes.size(), 12u);
  EXPECT_EQ(records[2].key, "layer/1");
  EXPECT_EQ(records[2].bytes, zeros);
  const std::vector<StateRecord> other = log.run_state("other");
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].bytes, "other's");
  EXPECT_TRUE(log.run_state("nobody").empty());
  EXPECT_EQ(log.phases()[0].state, (Json{{"generation", 5}}));

  // Every byte value survives too.
  SearchLog writer = SearchLog::open(dir("run"), SearchLog::Mode::read_write);
  writer.checkpoint_phase("search", nullptr, StateChanges{"bytes", {{"all", all_bytes}}});
  EXPECT_EQ(writer.run_state("bytes").at(0).bytes, all_bytes);
  EXPECT_TRUE(writer.phases()[0].state.is_null()) << "a null state clears the phase's checkpoint";
}

TEST_F(SearchLogTest, FinishTrialWritesStateChangesWithItsResult) {
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  const Architecture a = make_arch("a"), b = make_arch("b");
  log.add_trial(a, 1);
  log.add_trial(b, 2);
  Checkpoint checkpoint{Json{{"after", 0}}, 2, 1.0};
  checkpoint.state_changes = StateChanges{"autognn_layers", {{"gcn/16", std::string("\0\1\2", 3)}}};
  log.finish_trial(done_trial(0, a, 0.5), checkpoint);
  ASSERT_EQ(log.run_state("autognn_layers").size(), 1u);
  EXPECT_EQ(log.run_state("autognn_layers")[0].bytes, std::string("\0\1\2", 3));
  EXPECT_TRUE(log.latest_checkpoint()->state_changes.records.empty()) << "records are read with run_state()";

  // A refused finish writes none of the records either.
  Checkpoint refused{Json{{"after", 7}}, 2, 1.0};
  refused.state_changes = StateChanges{"autognn_layers", {{"gcn/16", "new"}}};
  EXPECT_NE(error_of([&] { log.finish_trial(done_trial(0, a, 0.6), refused); }).find("already done"), std::string::npos);
  refused.state_changes.owner = "";
  EXPECT_NE(error_of([&] { log.finish_trial(done_trial(1, b, 0.6), refused); }).find("owner"), std::string::npos);
  EXPECT_EQ(log.run_state("autognn_layers")[0].bytes, std::string("\0\1\2", 3));
  EXPECT_EQ(log.trials()[1].status, TrialStatus::pending);
}

// Runs `body` in a forked child with NAS_FAULT_KILL_AT=`target` and checks that the fault point
// killed it. The child never returns into the test runner.
template <typename Body>
void expect_killed_at(const std::string& target, Body body) {
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    try {
      setenv("NAS_FAULT_KILL_AT", target.c_str(), 1);
      body();
    } catch (...) {
    }
    _exit(1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child was not killed at " << target;
}

TEST_F(SearchLogTest, KillInsideFinishTrialLosesResultCheckpointAndRecordsTogether) {
  const Architecture a = make_arch("a"), b = make_arch("b");
  {
    SearchLog log = SearchLog::create(dir("run"), make_run_info());
    log.add_trial(a, 1);
    log.add_trial(b, 2);
    Checkpoint first{Json{{"after", 0}}, 2, 1.0};
    first.state_changes = StateChanges{"layers", {{"k", "v0"}}};
    log.finish_trial(done_trial(0, a, 0.5), first);
  }
  expect_killed_at("trial:1", [&] {
    SearchLog log = SearchLog::open(dir("run"), SearchLog::Mode::read_write);
    Checkpoint second{Json{{"after", 1}}, 2, 2.0};
    second.state_changes = StateChanges{"layers", {{"k", "v1"}, {"k2", "new"}}};
    log.finish_trial(done_trial(1, b, 0.7), second);
  });
  const SearchLog log = SearchLog::open(dir("run"), SearchLog::Mode::read_only);
  EXPECT_EQ(log.trials()[1].status, TrialStatus::pending);
  EXPECT_EQ(log.latest_checkpoint()->after_trial, 0);
  const std::vector<StateRecord> records = log.run_state("layers");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].bytes, "v0");
}

TEST_F(SearchLogTest, KillInsideCheckpointPhaseLosesStateAndRecordsTogether) {
  SearchLog::create(dir("run"), make_run_info()).add_phase("search", 20);
  expect_killed_at("phase-checkpoint:1", [&] {
    SearchLog log = SearchLog::open(dir("run"), SearchLog::Mode::read_write);
    log.checkpoint_phase("search", Json{{"step", 0}}, StateChanges{"layers", {{"r", "a"}}});  // call 0: kept
    log.checkpoint_phase("search", Json{{"step", 1}}, StateChanges{"layers", {{"r", "b"}, {"s", "c"}}});
  });
  const SearchLog log = SearchLog::open(dir("run"), SearchLog::Mode::read_only);
  EXPECT_EQ(log.phases().at(0).state, (Json{{"step", 0}}));
  const std::vector<StateRecord> records = log.run_state("layers");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].key, "r");
  EXPECT_EQ(records[0].bytes, "a");
}

TEST_F(SearchLogTest, KillBeforeAReevaluationWriteKeepsTheEarlierOnes) {
  const Architecture a = make_arch("a");
  {
    SearchLog log = SearchLog::create(dir("run"), make_run_info());
    log.add_trial(a, 1);
    log.finish_trial(done_trial(0, a, 0.5), Checkpoint{Json::object()});
  }
  expect_killed_at("reevaluation:1", [&] {
    SearchLog log = SearchLog::open(dir("run"), SearchLog::Mode::read_write);
    for (int repeat = 0; repeat < 3; ++repeat) {
      ReevaluationRow row;
      row.trial_id = 0;
      row.repeat = repeat;
      row.metrics = done_trial(0, a, 0.5).metrics;
      log.record_reevaluation(row);
    }
  });
  const std::vector<ReevaluationRow> rows = SearchLog::open(dir("run"), SearchLog::Mode::read_only).reevaluations();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].repeat, 0);
}

}  // namespace
}  // namespace nas
