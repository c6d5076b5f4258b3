// Inputs a careless or hostile user gives `nas` (issue 25's findings): each is refused with a clear
// error that writes nothing, or handled, never a crash or a log that the next command cannot read.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "../support/scratch.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/log/sqlite_database.hpp"
#include "nas_process.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;
using testing::nas_command;
using testing::Outcome;

class Hardening : public testing::ScratchDirTest {
 protected:
  std::string experiment(const std::string& extra = "") {
    const std::string path = dir("tabular.yaml");
    std::ofstream(path) << "name: tabular\nseed: 1\nspace: {name: nb201}\ncontroller: {name: random}\n"
                           "evaluator: {name: tabular, table: " << testing::kNb201Table << ", workers: 1}\n"
                        << "budget: {trials: 6}\n" << extra;
    return path;
  }
};

// The run used the first value and logged the last, so a plain resume ran more trials.
TEST_F(Hardening, AnExperimentFileWithAKeyTwiceIsRefusedBeforeAnythingIsWritten) {
  const Outcome outcome = nas_command("run " + experiment("budget: {trials: 9}\n") + " --out " + dir("run"));
  EXPECT_EQ(outcome.exit_code, 1) << outcome.output;
  EXPECT_NE(outcome.output.find("tabular.yaml:7: key 'budget' appears twice (lines 6 and 7)"), std::string::npos)
      << outcome.output;
  EXPECT_FALSE(fs::exists(dir("run")));
}

// YAML reads these names as numbers; the log stored a number (NaN as null), which resume refused.
TEST_F(Hardening, ANameYamlReadsAsANumberIsLoggedAsTheTextAndResumes) {
  for (const std::string name : {"1e30", ".inf", ".nan", "9223372036854775808"}) {
    SCOPED_TRACE(name);
    const std::string run_dir = dir("run-" + name);
    const Outcome run = nas_command("run " + experiment() + " --quiet --set name=" + name + " --out " + run_dir);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_EQ(SearchLog::open(run_dir, SearchLog::Mode::read_only).info().name, name);
    const Outcome resumed = nas_command("resume " + run_dir + " --quiet --set budget.trials=8");
    EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_EQ(SearchLog::open(run_dir, SearchLog::Mode::read_only).status_counts().done, 8);
  }
}

// Killed while the log was being created, a run left a 0-byte search.db: resume called it "not a
// search log" and a new run refused the directory as taken. Now the log appears whole or not at all.
TEST_F(Hardening, AKillWhileTheLogIsCreatedLeavesNoLogAndTheDirectoryCanBeUsed) {
  const std::string run_dir = dir("run");
  const pid_t child = testing::spawn_nas("run " + experiment() + " --quiet --out " + run_dir, "NAS_FAULT_KILL_AT=creation:0");
  ASSERT_TRUE(testing::ended_by_signal(child));
  EXPECT_FALSE(fs::exists(run_dir + "/search.db"));
  const Outcome resumed = nas_command("resume " + run_dir);
  EXPECT_NE(resumed.exit_code, 0);
  EXPECT_NE(resumed.output.find("has no search.db"), std::string::npos) << resumed.output;
  const Outcome again = nas_command("run " + experiment() + " --quiet --out " + run_dir);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(SearchLog::open(run_dir, SearchLog::Mode::read_only).status_counts().done, 6);
  for (const auto& entry : fs::directory_iterator(run_dir))
    EXPECT_EQ(entry.path().filename().string().find("unborn"), std::string::npos) << entry.path();
}

// A genotype nested 100,000 deep overflowed the stack (SIGSEGV) of the code that walked it.
TEST_F(Hardening, ADeeplyNestedGenotypeFileIsRefusedNotCrashedOn) {
  const std::string path = dir("deep.json");
  std::ofstream(path) << std::string(100000, '[') << std::string(100000, ']');
  for (const std::string space : {"einspace", "nasnet"}) {
    const Outcome outcome = nas_command("space describe " + space + " --genotype " + path);
    EXPECT_EQ(outcome.exit_code, 1) << outcome.output.substr(0, 500);
    EXPECT_NE(outcome.output.find("deep.json: is nested more than 1000 levels deep"), std::string::npos)
        << outcome.output.substr(0, 500);
    EXPECT_LT(outcome.output.size(), 1000u) << "the message quotes no more than an excerpt";
  }
  const Outcome directory = nas_command("space describe nasnet --genotype " + dir(""));
  EXPECT_NE(directory.output.find("is a directory, not a JSON file"), std::string::npos) << directory.output;
}

// A full disk under `nas export` ended the process from a destructor (terminate called after throwing
// c10::Error) and left a truncated model.pt. Here the output folder is a 16 KiB tmpfs in a mount
// namespace of the command's own.
TEST_F(Hardening, ExportToAFullDiskFailsWithAnErrorAndLeavesNoFile) {
  if (testing::shell_command("unshare -m true 2>&1").exit_code != 0) GTEST_SKIP() << "no mount namespaces here";
  const std::string run_dir = dir("run");
  const std::string experiment_file = dir("train.yaml");
  std::ofstream(experiment_file) << "name: small\nseed: 1\ndataset: {name: fashion-mnist, train_subset: 256, validation: 128}\n"
                                    "space: {name: nasnet, blocks: 2}\ncontroller: {name: random}\n"
                                    "evaluator: {workers: 1, epochs: 1, batch_size: 64}\nbudget: {trials: 1}\n";
  ASSERT_EQ(nas_command("run " + experiment_file + " --quiet --out " + run_dir).exit_code, 0);
  fs::create_directories(dir("full"));
  const Outcome outcome = testing::shell_command(
      "unshare -m sh -c 'mount -t tmpfs -o size=16k none " + dir("full") + " && " + std::string(NAS_BINARY) +
      " export " + run_dir + " --out " + dir("full") + "/model.pt; echo exit=$?; echo listing:; ls -A " +
      dir("full") + "' 2>&1");
  EXPECT_NE(outcome.output.find("exit=1"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("nas: error: "), std::string::npos) << outcome.output;
  EXPECT_EQ(outcome.output.find("terminate called"), std::string::npos) << outcome.output;
  const std::string listing = outcome.output.substr(outcome.output.find("listing:"));
  EXPECT_EQ(listing, "listing:\n") << "no model.pt (whole or truncated) and nothing aside: " << outcome.output;
}

// /dev/zero as the experiment file ran out of memory (std::bad_alloc); a folder gave
// "basic_filebuf::underflow error reading the file: Is a directory".
TEST_F(Hardening, AnExperimentFileThatIsNotAFileIsRefusedByName) {
  const Outcome device = nas_command("run /dev/zero --out " + dir("run"));
  EXPECT_EQ(device.exit_code, 1) << device.output;
  EXPECT_NE(device.output.find("/dev/zero: is not a regular file"), std::string::npos) << device.output;
  const Outcome folder = nas_command("run " + dir("") + " --out " + dir("run"));
  EXPECT_NE(folder.output.find("is a directory; give the experiment file"), std::string::npos) << folder.output;
  const std::string big = dir("big.yaml");
  std::ofstream(big) << "name: big\n# " << std::string(2u << 20, 'x') << "\n";
  const Outcome huge = nas_command("run " + big + " --out " + dir("run"));
  EXPECT_NE(huge.output.find("an experiment file may hold at most 1048576"), std::string::npos) << huge.output;
  EXPECT_FALSE(fs::exists(dir("run")));
}

// A seed name on a space without named architectures was refused as "--arch: ... accepted: " (an
// empty list, and a flag the user never gave); nasnet-a on options it does not fit spoke of --arch too.
TEST_F(Hardening, AnUnknownSeedIsRefusedNamingControllerSeeds) {
  const std::string nb201 = dir("seeded.yaml");
  std::ofstream(nb201) << "name: seeded\nspace: {name: nb201}\ncontroller: {name: evolution, seeds: [resnet]}\n"
                          "evaluator: {name: tabular, table: " << testing::kNb201Table << ", workers: 1}\nbudget: {trials: 2}\n";
  const Outcome none = nas_command("run " + nb201 + " --out " + dir("run"));
  EXPECT_EQ(none.exit_code, 1) << none.output;
  EXPECT_NE(none.output.find("controller.seeds: search space 'nb201' has no named architectures"), std::string::npos)
      << none.output;
  EXPECT_EQ(none.output.find("--arch"), std::string::npos) << none.output;
  const Outcome misfit = nas_command("run " NAS_SOURCE_DIR "/experiments/examples/quickstart.yaml --out " + dir("run") +
                                     " --set 'controller={name: evolution, seeds: [nasnet-a]}'");
  EXPECT_EQ(misfit.exit_code, 1) << misfit.output;
  EXPECT_NE(misfit.output.find("controller.seeds"), std::string::npos) << misfit.output;
  EXPECT_EQ(misfit.output.find("--arch"), std::string::npos) << misfit.output;
  EXPECT_FALSE(fs::exists(dir("run")));
}

// A log written by another program (or edited) with an infinite accuracy crashed the histogram.
TEST_F(Hardening, AnHtmlReportOfALogWithAnInfiniteAccuracyIsWritten) {
  const std::string run_dir = dir("run");
  ASSERT_EQ(nas_command("run " + experiment() + " --quiet --out " + run_dir).exit_code, 0);
  {
    SqliteDatabase db(run_dir + "/search.db", SQLITE_OPEN_READWRITE);
    db.execute("UPDATE trials SET val_accuracy = 9e999 WHERE id = 1; UPDATE trials SET val_loss = 9e999 WHERE id = 2;");
  }
  const Outcome outcome = nas_command("inspect " + run_dir + " --html " + dir("report.html"));
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_TRUE(fs::exists(dir("report.html")));
  EXPECT_GT(fs::file_size(dir("report.html")), 1000u);
}

// An intact log on a read-only file system was "corrupt": SQLite could not make the -shm file that
// reading a WAL-mode log takes. Here the run directory is bound read-only in a mount namespace.
TEST_F(Hardening, ALogOnAReadOnlyFileSystemIsRead) {
  if (testing::shell_command("unshare -m true 2>&1").exit_code != 0) GTEST_SKIP() << "no mount namespaces here";
  const std::string run_dir = dir("run");
  ASSERT_EQ(nas_command("run " + experiment() + " --quiet --out " + run_dir).exit_code, 0);
  const Outcome outcome = testing::shell_command("unshare -m sh -c 'mount --bind " + run_dir + " " + run_dir +
                                                 " && mount -o remount,ro,bind " + run_dir + " && " +
                                                 std::string(NAS_BINARY) + " inspect " + run_dir + "' 2>&1");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("6 done"), std::string::npos) << outcome.output;
}

// controller.lr 1e300 passed validation; the policy's probabilities became NaN after the first trial,
// the run ended with "Rng::weighted needs a positive total weight" and the log said it was running
// (a run that stops on an error now says so in the log: InjectedFaults.*).
TEST_F(Hardening, AnRlLearningRateAboveOneIsRefused) {
  const Outcome huge = nas_command("run " + experiment() + " --quiet --set 'controller={name: rl, lr: 1e300}' --out " +
                                   dir("huge"));
  EXPECT_EQ(huge.exit_code, 1) << huge.output;
  EXPECT_NE(huge.output.find("controller.lr: must be between 0 and 1, got 1e300"), std::string::npos) << huge.output;
  EXPECT_FALSE(fs::exists(dir("huge")));

}

// A huge --input gave multiply-adds past int64 (shown negative or wrapped); sizes are bounded instead.
TEST_F(Hardening, AnInputTooLargeToCountIsRefusedByName) {
  const Outcome image = nas_command("space describe nasnet --input 3x999999999x999999999");
  EXPECT_EQ(image.exit_code, 1) << image.output;
  EXPECT_NE(image.output.find("--input/--classes: input 3x999999999x999999999 is larger than nas takes"),
            std::string::npos)
      << image.output;
  const Outcome classes = nas_command("space describe autognn --input 1433x1x1 --classes 999999999");
  EXPECT_NE(classes.output.find("takes at most 100000 classes"), std::string::npos) << classes.output;
  EXPECT_EQ(nas_command("space describe nasnet --input 3x224x224 --classes 1000").exit_code, 0);
}

// A folder given as a data file opened as an empty stream and was reported as a parse error ("the
// table is empty").
TEST_F(Hardening, AFolderWhereADataFileShouldBeIsNamedAsAFolder) {
  const std::string folder = dir("tables");
  fs::create_directories(folder);
  const std::string file = dir("folder.yaml");
  std::ofstream(file) << "name: t\nspace: {name: nb201}\ncontroller: {name: random}\n"
                         "evaluator: {name: tabular, table: " << folder << ", workers: 1}\nbudget: {trials: 2}\n";
  const Outcome outcome = nas_command("run " + file + " --out " + dir("run"));
  EXPECT_EQ(outcome.exit_code, 1) << outcome.output;
  EXPECT_NE(outcome.output.find(folder + ": is a directory, not the NAS-Bench-201 table (a .csv file)"), std::string::npos)
      << outcome.output;
}

// A 10 MB string in a genotype came back whole in the error: 10 MB of stderr.
TEST_F(Hardening, AnErrorQuotesOnlyAnExcerptOfAHugeInput) {
  const std::string path = dir("huge.json");
  std::ofstream(path) << "{\"edges\": {\"0-1\": \"" << std::string(10u << 20, 'x') << "\"}}";
  const Outcome outcome = nas_command("space describe nb201 --genotype " + path);
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("bytes left out"), std::string::npos) << outcome.output.substr(0, 2000);
  EXPECT_LT(outcome.output.size(), 2000u);
}

}  // namespace
}  // namespace nas
