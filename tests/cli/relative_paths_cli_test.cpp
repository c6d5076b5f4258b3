// Relative paths in an experiment file are read from the file's folder, whatever the working directory,
// and the run's log keeps them absolute, so that `nas resume` works from anywhere; a --set path is the
// user's, read from the working directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../support/scratch.hpp"
#include "core/json.hpp"
#include "nas_process.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;
using testing::Outcome;
using testing::shell_command;

class RelativePaths : public testing::ScratchDirTest {
 protected:
  // root/experiments/search.yaml names its table as data/nb201.csv, beside it; root/elsewhere and
  // root/third are other working directories.
  void SetUp() override {
    ScratchDirTest::SetUp();
    fs::create_directories(root() / "experiments" / "data");
    fs::create_directories(root() / "elsewhere");
    fs::create_directories(root() / "third");
    fs::create_symlink(NAS_SHARED_DIR "/datasets/nasbench201/nb201.csv", root() / "experiments/data/nb201.csv");
    std::ofstream(root() / "experiments/search.yaml")
        << "name: relative\n"
           "space: {name: nb201}\n"
           "controller: {name: random}\n"
           "evaluator: {name: tabular, table: data/nb201.csv, workers: 1}\n"
           "budget: {trials: 3}\n";
  }
  // `nas ARGS` run in root/`directory`.
  Outcome nas_in(const std::string& directory, const std::string& args) const {
    return shell_command("cd " + (root() / directory).string() + " && " + NAS_BINARY + " " + args + " 2>&1");
  }
  std::string table() const { return (root() / "experiments/data/nb201.csv").string(); }
};

TEST_F(RelativePaths, ARunFromAnotherDirectoryReadsThemFromTheFilesFolderAndResumesFromAThird) {
  Outcome outcome = nas_in("elsewhere", "run ../experiments/search.yaml --out ../run --quiet");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;

  outcome = testing::nas_stdout("inspect " + (root() / "run").string() + " --json");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const Json report = Json::parse(outcome.output);
  EXPECT_EQ(report["experiment"]["evaluator"]["table"], table()) << "the log keeps the resolved, absolute path";

  outcome = nas_in("third", "resume ../run --set budget.trials=5 --quiet");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_EQ(Json::parse(testing::nas_stdout("inspect " + (root() / "run").string() + " --json").output)["trials"].size(),
            5u);
}

TEST_F(RelativePaths, ASetPathIsReadFromTheWorkingDirectory) {
  // From the table's own folder, nb201.csv given on the command line is the table.
  Outcome outcome = nas_in("experiments/data", "run ../search.yaml --set evaluator.table=nb201.csv --out ../../run --quiet");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;

  // The file's path relative to the file's folder is not one relative to the working directory.
  outcome = nas_in("elsewhere", "run ../experiments/search.yaml --set evaluator.table=data/nb201.csv --out ../run2");
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("--set evaluator.table=data/nb201.csv"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("no such file '" + (root() / "elsewhere/data/nb201.csv").string() + "'"),
            std::string::npos)
      << outcome.output;
}

}  // namespace
}  // namespace nas
