// A graph search as a user runs it: `nas run` of an autognn experiment on Cora, `nas inspect`, `nas
// resume` with a larger budget, and `nas export` of the winner, which Python (Debian's python3-torch)
// loads from the raw dataset files and which reproduces the test accuracy the trial recorded.
#include <gtest/gtest.h>

#include <fstream>

#include "../support/scratch.hpp"
#include "core/json.hpp"
#include "nas_process.hpp"

namespace nas {
namespace {

using testing::nas_command;
using testing::nas_stdout;
using testing::Outcome;

const std::string kCora = std::string(NAS_SHARED_DIR) + "/datasets/planetoid/cora";

// Reads Cora's raw files as a user without nas would, runs the exported model on (features,
// edge_index) and writes the test accuracy.
constexpr const char* kPythonCheck = R"(import sys
import torch
model_path, data, out_path = sys.argv[1:4]
def lines(suffix, header=True):
    with open(f"{data}/cora.{suffix}.txt") as f:
        rows = f.read().splitlines()
    return rows[1:] if header else rows
features = torch.zeros(2708, 1433)
for node, line in enumerate(lines("features")):
    for token in line.split():
        column, value = token.split(":")
        features[node, int(column)] = float(value)
labels = torch.tensor([int(v) for v in lines("labels")])
pairs = torch.tensor([[int(x) for x in line.split()] for line in lines("edges")]).t()
edge_index = torch.cat([pairs, pairs.flip(0)], 1)
test = torch.tensor([int(v) for v in lines("test", header=False) if v])
model = torch.jit.load(model_path)
model.eval()
with torch.no_grad():
    logits = model(features, edge_index)
accuracy = (logits[test].argmax(1) == labels[test]).float().mean().item()
with open(out_path, "w") as out:
    out.write(repr(accuracy) + "\n")
)";

class GraphRun : public testing::ScratchDirTest {};

TEST_F(GraphRun, RunInspectResumeAndExportAWinnerThatPythonReproduces) {
  const std::string file = dir("cora.yaml");
  std::ofstream(file) << "name: tiny-graph\n"
                         "seed: 3\n"
                         "dataset: {name: planetoid, path: "
                      << kCora
                      << "}\n"
                         "space: {name: autognn, heads: [1, 2], units: [4, 8], aggregators: [sum, mean]}\n"
                         "controller: {name: conservative}\n"
                         "evaluator: {name: node_classification, workers: 2, epochs: 15, keep_weights: 1}\n"
                         "budget: {trials: 2}\n";
  const std::string run_dir = dir("run");
  const Outcome run = nas_command("run " + file + " --quiet --out " + run_dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const Outcome resumed = nas_command("resume " + run_dir + " --quiet --set budget.trials=3");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;

  const Outcome inspect = nas_stdout("inspect " + run_dir + " --json");
  ASSERT_EQ(inspect.exit_code, 0) << inspect.output;
  const Json report = Json::parse(inspect.output);
  ASSERT_EQ(report["trials"].size(), 3u);
  for (const Json& trial : report["trials"]) {
    EXPECT_EQ(trial["status"], "done") << trial.dump();
    const Json& reported = trial["metrics"]["reported"];
    ASSERT_TRUE(reported.contains("test_accuracy")) << trial.dump();
    // GraphNAS's figure beside it, an accuracy. (That it is the best test accuracy at the validation-loss
    // records is checked in the NodeTrainer tests.)
    ASSERT_TRUE(reported.contains("graphnas_test_accuracy")) << trial.dump();
    EXPECT_GT(reported["graphnas_test_accuracy"].get<double>(), 0) << trial.dump();
    EXPECT_LE(reported["graphnas_test_accuracy"].get<double>(), 1) << trial.dump();
  }
  const Json& best = report["best"];
  const double recorded = best["metrics"]["reported"]["test_accuracy"].get<double>();

  const std::string model = dir("model.pt");
  const Outcome exported = nas_command("export " + run_dir + " --out " + model);
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  Json description;
  std::ifstream(dir("model.json")) >> description;
  EXPECT_EQ(description["weights"]["train_nodes"], 140);
  EXPECT_NEAR(description["metrics"]["test_accuracy"].get<double>(), recorded, 1e-6);

  const std::string script = dir("check.py"), output = dir("python.txt");
  std::ofstream(script) << kPythonCheck;
  ASSERT_EQ(std::system(("/usr/bin/python3 " + script + " " + model + " " + kCora + " " + output).c_str()), 0)
      << "python3-torch must be installed (scripts/setup.sh installs it)";
  double python_accuracy = -1;
  std::ifstream(output) >> python_accuracy;
  EXPECT_NEAR(python_accuracy, recorded, 0.0015) << "one test node at most may flip on float rounding";
}

// Attention normalises over each neighbourhood with LibTorch's scatter_reduce, which LibTorch 1.13
// announces as beta on stderr (with a glog preamble) the first time any thread calls it; a run's output
// is ours alone.
TEST_F(GraphRun, AttentionLayersPrintNoLibTorchNoticeInTheRunsOutput) {
  const std::string file = dir("gat.yaml");
  std::ofstream(file) << "name: gat-output\n"
                         "dataset: {name: planetoid, path: "
                      << kCora
                      << "}\n"
                         "space: {name: autognn, attentions: [gat], heads: [1], units: [4]}\n"
                         "controller: {name: random}\n"
                         "evaluator: {name: node_classification, workers: 1, epochs: 2}\n"
                         "budget: {trials: 1}\n";
  const Outcome run = nas_command("run " + file + " --out " + dir("run"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output.find("beta"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("WARNING"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("trials: 1 (0 failed"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace nas
