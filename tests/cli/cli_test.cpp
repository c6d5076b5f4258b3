// The `nas` program as a user runs it: exit codes, messages, and the output formats others parse.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../support/scratch.hpp"
#include "nas_process.hpp"
#include "core/json.hpp"

namespace {

using nas::testing::nas_command;
using nas::testing::Outcome;

std::string stdout_of(const std::string& args) {
  const Outcome outcome = nas::testing::nas_stdout(args);
  EXPECT_EQ(outcome.exit_code, 0) << args;
  return outcome.output;
}

class Cli : public nas::testing::ScratchDirTest {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir(name)) << text;
    return dir(name);
  }
};

TEST_F(Cli, VersionReportsLibTorchBlasAndThreads) {
  const Outcome outcome = nas_command("--version");
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("LibTorch 1."), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("openblas"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("threads: intra-op"), std::string::npos) << outcome.output;
}

TEST_F(Cli, HelpAfterACommandPrintsThatCommandsUsage) {
  const Outcome run_help = nas::testing::nas_stdout("run --help");
  EXPECT_EQ(run_help.exit_code, 0);
  EXPECT_EQ(run_help.output.rfind("usage: nas run FILE", 0), 0u) << run_help.output;
  const Outcome inspect_help = nas::testing::nas_stdout("inspect some/run -h");
  EXPECT_EQ(inspect_help.exit_code, 0);
  EXPECT_EQ(inspect_help.output.rfind("usage: nas inspect DIR", 0), 0u) << inspect_help.output;
}

TEST_F(Cli, BadExperimentExitsNonZeroBeforeTrainingAndNamesFileLineKey) {
  const std::string file = write("bad.yaml",
                                 "name: bad\n"
                                 "space: {name: nasnet}\n"
                                 "controller: {name: evolution, population: 4, tournament: 2}\n"
                                 "evaluator: {workers: 2, epochz: 1}\n"
                                 "dataset: {name: fashion-mnist}\n");
  const Outcome outcome = nas_command("run " + file + " --out " + dir("run"));
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find(file + ":4:"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("evaluator.epochz: unknown key 'epochz'"), std::string::npos) << outcome.output;
  EXPECT_FALSE(std::filesystem::exists(dir("run")));
}

TEST_F(Cli, MissingFileAndUnknownOptionAndCommand) {
  Outcome outcome = nas_command("run " + dir("nope.yaml"));
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("nope.yaml: no such experiment file"), std::string::npos) << outcome.output;
  outcome = nas_command("run x.yaml --outt d");
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("did you mean '--out'"), std::string::npos) << outcome.output;
  outcome = nas_command("inspekt d");
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("did you mean 'inspect'"), std::string::npos) << outcome.output;
}

TEST_F(Cli, DescribeNasnetAMatchesThePapersParameterCount) {
  const std::string text = stdout_of(
      "space describe nasnet --arch nasnet-a --input 3x32x32 --classes 10 --json "
      "--set space.cells_per_stage=6 --set space.channels=32 --set space.stem_multiplier=3");
  const auto json = nas::Json::parse(text);
  EXPECT_NEAR(json["params"].get<double>(), 3.3e6, 0.02 * 3.3e6);
  EXPECT_GT(json["madds"].get<double>(), 0);
  EXPECT_FALSE(json["layers"].empty());
}

TEST_F(Cli, SampleIsReproducibleAndDescribeReadsTheGenotypeBack) {
  const auto first = nas::Json::parse(stdout_of("space sample nasnet --n 3 --seed 5 --json"));
  const auto again = nas::Json::parse(stdout_of("space sample nasnet --n 3 --seed 5 --json"));
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first, again);
  const std::string genotype = write("arch.json", first[1].dump());
  const auto described = nas::Json::parse(stdout_of("space describe nasnet --json --genotype " + genotype));
  EXPECT_EQ(described["hash"], first[1]["hash"]);
  EXPECT_EQ(described["params"], first[1]["params"]);
  const std::string dot = stdout_of("space describe nasnet --dot --genotype " + genotype);
  EXPECT_NE(dot.find("digraph"), std::string::npos);
}

TEST_F(Cli, RunThenInspectJson) {
  const std::string file = write("small.yaml",
                                 "name: small\n"
                                 "seed: 3\n"
                                 "dataset: {name: fashion-mnist, train_subset: 256, validation: 128}\n"
                                 "space: {name: nasnet, blocks: 2}\n"
                                 "controller: {name: evolution, population: 2, tournament: 1}\n"
                                 "evaluator: {workers: 2, epochs: 1, batch_size: 64}\n"
                                 "budget: {trials: 3}\n");
  const std::string run_dir = dir("run");
  const Outcome run = nas_command("run " + file + " --quiet --out " + run_dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("best: trial"), std::string::npos) << run.output;

  const auto json = nas::Json::parse(stdout_of("inspect " + run_dir + " --json"));
  EXPECT_EQ(json["experiment"]["name"], "small");
  ASSERT_EQ(json["trials"].size(), 3u);
  for (const auto& trial : json["trials"]) {
    for (const char* key : {"id", "status", "arch", "metrics", "error"}) EXPECT_TRUE(trial.contains(key)) << key;
    if (trial["status"] == "done") {
      for (const char* key : {"val_accuracy", "val_loss", "params", "madds", "train_seconds"})
        EXPECT_TRUE(trial["metrics"].contains(key)) << key;
    }
  }
  EXPECT_TRUE(json["best"].is_object());
  const std::string text = stdout_of("inspect " + run_dir);
  EXPECT_NE(text.find("small"), std::string::npos);

  const Outcome again = nas_command("run " + file + " --quiet --out " + run_dir);
  EXPECT_NE(again.exit_code, 0) << "a second run must not overwrite the first's log";
}

TEST_F(Cli, InspectRefusesADirectoryThatIsNotARun) {
  const Outcome outcome = nas_command("inspect " + root().string());
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find(root().string()), std::string::npos) << outcome.output;
}

}  // namespace
