// Commits found beside a search log (a WAL or a hot journal) are applied only when they are the
// log's own. Issue 25 found a finished log copied over a killed run's search.db: resume replayed the
// other run's WAL into it (its trials gone), inspect showed the other run's trials.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "../support/scratch.hpp"
#include "experiments/log/search_log.hpp"
#include "nas_process.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;
using testing::nas_command;
using testing::Outcome;

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Every file of a directory with its size and a hash of its bytes: what "nothing was changed" compares.
std::map<std::string, std::string> files_of(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string bytes = bytes_of(entry.path());
    files[entry.path().filename()] = std::to_string(bytes.size()) + " bytes, hash " +
                                     std::to_string(std::hash<std::string>()(bytes));
  }
  return files;
}

class PendingCommits : public testing::ScratchDirTest {
 protected:
  std::string experiment() {
    const std::string path = dir("tabular.yaml");
    std::ofstream(path) << "name: tabular\nseed: 1\nspace: {name: nb201}\ncontroller: {name: random}\n"
                           "evaluator: {name: tabular, table: " << testing::kNb201Table << ", workers: 1}\nbudget: {trials: 8}\n";
    return path;
  }
  void finished_run(const std::string& run_dir, int seed) {
    const Outcome run = nas_command("run " + experiment() + " --quiet --set seed=" + std::to_string(seed) +
                                    " --out " + run_dir);
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  // A run killed as trial `kill_at` finishes: its last commits are in search.db-wal.
  void killed_run(const std::string& run_dir, int seed, int kill_at) {
    const pid_t child = testing::spawn_nas("run " + experiment() + " --quiet --set seed=" + std::to_string(seed) +
                                               " --out " + run_dir,
                                           "NAS_FAULT_KILL_AT=trial:" + std::to_string(kill_at));
    ASSERT_TRUE(testing::ended_by_signal(child));
    ASSERT_GT(fs::file_size(run_dir + "/search.db-wal"), 32u);
  }
};

// Killed at trial 1 and 5: a WAL smaller and larger than the finished log's changes; a killed log copied
// over holds no trial in its file, only the id that the other WAL's commits do not carry.
TEST_F(PendingCommits, AnotherRunsWalBesideALogIsRefusedByResumeAndInspectChangingNothing) {
  for (const int kill_at : {1, 5, -1}) {
    SCOPED_TRACE(kill_at);
    const std::string finished = dir("finished-" + std::to_string(kill_at));
    const std::string killed = dir("killed-" + std::to_string(kill_at));
    if (kill_at > 0) {
      finished_run(finished, 1);
    } else {
      killed_run(finished, 1, 1);
      fs::remove(finished + "/search.db-wal");
      fs::remove(finished + "/search.db-shm");
    }
    killed_run(killed, 2, kill_at > 0 ? kill_at : 3);
    fs::copy_file(finished + "/search.db", killed + "/search.db", fs::copy_options::overwrite_existing);
    const auto before = files_of(killed);
    for (const std::string& command : {"resume " + killed + " --quiet", "inspect " + killed}) {
      SCOPED_TRACE(command);
      const Outcome outcome = nas_command(command);
      EXPECT_NE(outcome.exit_code, 0) << outcome.output;
      EXPECT_NE(outcome.output.find(killed + "/search.db-wal: does not belong to " + killed + "/search.db"),
                std::string::npos)
          << outcome.output;
      EXPECT_NE(outcome.output.find("Nothing was changed"), std::string::npos) << outcome.output;
      EXPECT_EQ(files_of(killed), before) << "a refusal changes no file of the run";
    }
    // Moved away, as the message says, the finished log is all there and intact.
    fs::rename(killed + "/search.db-wal", dir("wal-" + std::to_string(kill_at)));
    fs::remove(killed + "/search.db-shm");
    EXPECT_EQ(SearchLog::open(killed, SearchLog::Mode::read_only).status_counts().done, kill_at > 0 ? 8 : 0);
    EXPECT_EQ(bytes_of(killed + "/search.db"), bytes_of(finished + "/search.db"));
  }
}

// The commits of the run's own killed writer are applied: inspect reads them without writing, and
// resume keeps the file and its WAL as they were before it lets SQLite move them in.
TEST_F(PendingCommits, TheRunsOwnWalIsReadByInspectAndAppliedByResumeAfterABackup) {
  const std::string run_dir = dir("run");
  killed_run(run_dir, 1, 5);
  const auto before = files_of(run_dir);
  const Outcome inspected = nas_command("inspect " + run_dir);
  ASSERT_EQ(inspected.exit_code, 0) << inspected.output;
  EXPECT_NE(inspected.output.find("5 done"), std::string::npos) << inspected.output;
  EXPECT_EQ(files_of(run_dir).at("search.db"), before.at("search.db"));
  EXPECT_EQ(files_of(run_dir).at("search.db-wal"), before.at("search.db-wal"));

  const Outcome resumed = nas_command("resume " + run_dir + " --quiet");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(SearchLog::open(run_dir, SearchLog::Mode::read_only).status_counts().done, 8);
  EXPECT_EQ(files_of(run_dir).at("search.db.bak-recovery"), before.at("search.db"));
  EXPECT_EQ(files_of(run_dir).at("search.db.bak-recovery-wal"), before.at("search.db-wal"));
}

// A full or failing disk under each copy the commits need, in turn: the private copies of the log and
// its WAL that inspect and resume check the commits in, then the backups of both that a writer keeps
// before applying them. Each is an error that changes no file of the run; the next resume applies them.
TEST_F(PendingCommits, AFailedCopyOrBackupOfTheCommitsChangesNothingAndTheNextResumeAppliesThem) {
  const std::string run_dir = dir("run");
  killed_run(run_dir, 1, 5);
  const auto before = files_of(run_dir);
  struct Command {
    std::string args;
    int copies;        // inspect: the file alone, then the file and its WAL to apply them to
    std::string last;  // what the last copy's failure says; resume's last copies are the backups
  };
  for (const Command& command : {Command{"inspect " + run_dir, 3, "cannot check the commits it holds"},
                                 Command{"resume " + run_dir + " --quiet", 5, "cannot back up the log"}}) {
    std::string last_error;
    int copy = 0;
    for (;; ++copy) {
      const std::string error = copy % 2 == 0 ? "ENOSPC" : "EIO";
      SCOPED_TRACE(command.args + ", copy " + std::to_string(copy) + ", " + error);
      const Outcome faulty = testing::shell_command("NAS_FAULT_FAIL_WRITE=file:" + std::to_string(copy) + ":" + error +
                                                    " " + std::string(NAS_BINARY) + " " + command.args + " 2>&1");
      if (faulty.exit_code == 0) break;  // past the last copy
      EXPECT_EQ(faulty.exit_code, 1) << faulty.output;
      EXPECT_NE(faulty.output.find(error == "ENOSPC" ? "No space left on device" : "Input/output error"),
                std::string::npos) << faulty.output;
      EXPECT_EQ(files_of(run_dir), before) << "a failed copy changes no file of the run";
      last_error = faulty.output;
      ASSERT_LT(copy, 20);
    }
    EXPECT_EQ(copy, command.copies) << command.args;
    EXPECT_NE(last_error.find(command.last), std::string::npos) << last_error;
  }
  EXPECT_EQ(SearchLog::open(run_dir, SearchLog::Mode::read_only).status_counts().done, 8);
  EXPECT_EQ(files_of(run_dir).at("search.db.bak-recovery"), before.at("search.db"));
}

// A hot rollback journal: the file holds half a transaction that the journal takes back. Made here by
// a child process that changes every trial's accuracy in rollback mode and dies before committing.
void leave_hot_journal(const std::string& log_path) {
  const pid_t child = ::fork();
  if (child == 0) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(log_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_exec(db,
                 "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 2; BEGIN; UPDATE trials SET val_accuracy = 0.5;"
                 "CREATE TABLE filler(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) "
                 "INSERT INTO filler SELECT randomblob(1000) FROM n;",
                 nullptr, nullptr, nullptr);
    ::_exit(0);  // no COMMIT, no close: the journal stays hot
  }
  int status = 0;
  ::waitpid(child, &status, 0);
}

// nas never leaves a journal, and none says which file it was written for: rolled back into the wrong
// log, another log's journal gave an intact log of that log's trials. Refused, whoever wrote it.
TEST_F(PendingCommits, AHotJournalIsRefusedWithoutRollingItBack) {
  finished_run(dir("other"), 2);
  leave_hot_journal(dir("other") + "/search.db");
  ASSERT_GT(fs::file_size(dir("other") + "/search.db-journal"), 0u);
  const std::string foreign = dir("foreign");
  finished_run(foreign, 1);
  fs::copy_file(dir("other") + "/search.db-journal", foreign + "/search.db-journal");
  for (const std::string& run_dir : {dir("other"), foreign}) {
    const auto before = files_of(run_dir);
    for (const std::string& command : {"resume " + run_dir + " --quiet", "inspect " + run_dir}) {
      SCOPED_TRACE(command);
      const Outcome outcome = nas_command(command);
      EXPECT_EQ(outcome.exit_code, 1) << outcome.output;
      EXPECT_NE(outcome.output.find(run_dir + "/search.db-journal: is a rollback journal that another program left"),
                std::string::npos)
          << outcome.output;
      EXPECT_EQ(files_of(run_dir), before);
    }
  }
}

// `nas resume` on a SQLite file that is not a search log switched it to WAL mode; now the refusal
// leaves the directory as it was, without even a lock file.
TEST_F(PendingCommits, AResumeRefusingAForeignDatabaseWritesNothing) {
  const std::string run_dir = dir("foreign");
  fs::create_directories(run_dir);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((run_dir + "/search.db").c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
            SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE x(a); INSERT INTO x VALUES(1)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  const auto before = files_of(run_dir);
  const Outcome outcome = nas_command("resume " + run_dir);
  EXPECT_EQ(outcome.exit_code, 1) << outcome.output;
  EXPECT_NE(outcome.output.find("is a SQLite database but not a nas search log"), std::string::npos) << outcome.output;
  EXPECT_EQ(files_of(run_dir), before);
}

}  // namespace
}  // namespace nas
