// `nas export` of weight-sharing runs: the best sub-network the retrain phase trained from scratch,
// with the weights it kept, or a sub-network with the weights it inherits from the run's supernet; as
// TorchScript that Python (Debian's python3-torch) loads and that reproduces, on the real test images,
// the test accuracy nas recorded.
#include <gtest/gtest.h>
#include <torch/script.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/config_node.hpp"
#include "core/json.hpp"
#include "evaluators/datasets/dataset_registry.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "experiments/log/kept_weights.hpp"
#include "experiments/log/search_log.hpp"
#include "nas_process.hpp"
#include "tests/support/scratch.hpp"

namespace nas {
namespace {

using testing::nas_command;
using testing::Outcome;

// Loads the model with torch.jit.load, classifies the 10,000 test images (read from the IDX files with
// gzip, as a user without nas would) and writes the accuracy.
constexpr const char* kPythonAccuracy = R"(import gzip, sys
import numpy as np
import torch
model_path, out_path = sys.argv[1:3]
with gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz') as f:
    images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 1, 28, 28)
with gzip.open('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz') as f:
    labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)
model = torch.jit.load(model_path)
model.eval()
x = torch.from_numpy(images.astype(np.float32) / 255.0)
with torch.no_grad():
    logits = torch.cat([model(x[i:i + 500]) for i in range(0, x.shape[0], 500)])
with open(out_path, 'w') as out:
    out.write(repr(float((logits.argmax(1).numpy() == labels).mean())) + '\n')
)";

// The tiny settings every run here shares: one supernet epoch on 512 images, 6 trials, one worker.
constexpr const char* kTiny =
    " --set dataset.train_subset=512 --set dataset.validation=256 --set supernet.epochs=1"
    " --set budget.trials=6 --set controller.population=4 --set controller.parents=2"
    " --set controller.mutants=1 --set controller.crossovers=1 --set evaluator.workers=1";

Json read_json(const std::string& path) { return Json::parse(std::ifstream(path)); }

// The exported module's accuracy on the run's validation images (split from the run's seed, as the
// search split them), and the size of one image in it: what the val_accuracy recorded of the same
// weights measured, if the module holds those weights.
std::pair<double, double> module_validation_accuracy(const std::string& model, const std::string& run_dir) {
  const Json experiment = SearchLog::open(run_dir, SearchLog::Mode::read_only).info().experiment_json;
  const auto data = load_dataset(ConfigNode::parse(experiment.at("dataset").dump(), "dataset"),
                                 experiment.value("seed", std::uint64_t{0}));
  torch::jit::Module module = torch::jit::load(model);
  module.eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor logits = module.forward({data->val_images}).toTensor();
  const double images = static_cast<double>(data->val_labels.size(0));
  return {logits.argmax(1).eq(data->val_labels).sum().item<double>() / images, 1.0 / images + 1e-9};
}

class WeightSharingExport : public testing::ScratchDirTest {
 protected:
  // The ViT-ResNAS example: supernet, search, then the best 2 retrained from scratch for 10 steps.
  std::string vit_run() {
    const std::string run_dir = dir("vit");
    const Outcome run = nas_command("run " NAS_SOURCE_DIR "/experiments/examples/vit_resnas_fashion_mnist.yaml "
                                    "--quiet --out " + run_dir + kTiny +
                                    " --set retrain.top=2 --set retrain.epochs=1 --set retrain.max_steps=10");
    EXPECT_EQ(run.exit_code, 0) << run.output;
    return run_dir;
  }
  // The SPOS example over the NAS-Bench-201 cell; it has no retrain: section.
  std::string spos_run() {
    const std::string run_dir = dir("spos");
    const Outcome run = nas_command("run " NAS_SOURCE_DIR "/experiments/examples/nb201_spos_fashion_mnist.yaml "
                                    "--quiet --out " + run_dir + kTiny + " --set space.channels=4");
    EXPECT_EQ(run.exit_code, 0) << run.output;
    return run_dir;
  }

  // The model's accuracy on the test images, computed by Python.
  double python_accuracy(const std::string& model) {
    const std::string script = dir("accuracy.py"), output = dir("python.txt");
    std::ofstream(script) << kPythonAccuracy;
    EXPECT_EQ(std::system(("/usr/bin/python3 " + script + " " + model + " " + output).c_str()), 0)
        << "python3-torch must be installed (scripts/setup.sh installs it)";
    double accuracy = -1;
    std::ifstream(output) >> accuracy;
    return accuracy;
  }

  std::set<std::string> files_in(const std::string& folder) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) names.insert(entry.path().filename().string());
    return names;
  }
};

// The retrain phase's state: the trials it retrained successfully, and which had the best stand-alone
// validation accuracy.
struct Retrained {
  std::set<std::int64_t> trials;
  std::int64_t best = -1;
};

Retrained retrained_of(const std::string& run_dir) {
  Retrained retrained;
  double best = -1;
  for (const PhaseRow& phase : SearchLog::open(run_dir, SearchLog::Mode::read_only).phases())
    if (phase.name == "retrain") {
      EXPECT_EQ(phase.status, PhaseStatus::done);
      for (const Json& entry : phase.state.at("retrained")) {
        if (entry.at("status") != "done") continue;
        retrained.trials.insert(entry.at("trial").get<std::int64_t>());
        if (entry.at("val_accuracy").get<double>() > best) {
          best = entry.at("val_accuracy").get<double>();
          retrained.best = entry.at("trial").get<std::int64_t>();
        }
      }
    }
  return retrained;
}

// Python's accuracy differs from nas's only if an image's two top logits are within float rounding of
// each other (nas normalises in its data pipeline, the module inside): at most one image of 10,000.
constexpr double kOneTestImage = 1.0 / 10000 + 1e-9;

TEST_F(WeightSharingExport, RetrainedViTResNasExportsItsRetrainedWeightsWhichPythonReproduces) {
  const std::string run_dir = vit_run();
  const Retrained retrained = retrained_of(run_dir);
  ASSERT_EQ(retrained.trials.size(), 2u);
  for (const std::int64_t trial : retrained.trials)
    EXPECT_TRUE(std::filesystem::exists(KeptWeights::retrained_path(run_dir, trial))) << "trial " << trial;

  const std::string model = dir("model.pt");
  const Outcome exported = nas_command("export " + run_dir + " --out " + model);
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_NE(exported.output.find("chosen by the best stand-alone validation accuracy of the retrain phase"),
            std::string::npos)
      << exported.output;
  const Json description = read_json(dir("model.json"));
  EXPECT_EQ(description["run"]["trial"], retrained.best) << "the best retrained trial by default";
  EXPECT_EQ(description["chosen_by"],
            "the best stand-alone validation accuracy of the retrain phase (trained from scratch)");
  EXPECT_EQ(description["weights"]["source"], "retrained from scratch for 1 epoch by the retrain phase (at most 10 steps)");
  EXPECT_EQ(description["weights"]["train_images"], 512);
  EXPECT_TRUE(description["metrics"].contains("inherited_val_accuracy"));
  const double recorded = description["metrics"]["test_accuracy"].get<double>();
  {
    const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
    ASSERT_EQ(log.exports().size(), 1u);
    EXPECT_DOUBLE_EQ(log.exports()[0].test_accuracy, recorded) << "the log records what model.json says";
  }
  EXPECT_NEAR(python_accuracy(model), recorded, kOneTestImage);
  const auto [validation, one_image] = module_validation_accuracy(model, run_dir);
  EXPECT_NEAR(validation, description["metrics"]["val_accuracy"].get<double>(), one_image)
      << "the module holds the weights the retrain phase validated";

  // A resume that reopens the search prunes the kept weights after every result: the retrained ones stay.
  const Outcome resumed = nas_command("resume " + run_dir + " --quiet --set budget.trials=8");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  for (const std::int64_t trial : retrained.trials)
    EXPECT_TRUE(std::filesystem::exists(KeptWeights::retrained_path(run_dir, trial))) << "trial " << trial;
}

TEST_F(WeightSharingExport, AViTResNasTrialNotRetrainedExportsWithTheWeightsItInherits) {
  const std::string run_dir = vit_run();
  const Retrained retrained = retrained_of(run_dir);
  std::int64_t other = -1;
  for (const TrialRow& row : SearchLog::open(run_dir, SearchLog::Mode::read_only).trials())
    if (row.status == TrialStatus::done && !retrained.trials.count(row.id)) other = row.id;
  ASSERT_GE(other, 0);
  const std::string model = dir("inherited.pt");
  const Outcome exported = nas_command("export " + run_dir + " --trial " + std::to_string(other) + " --out " + model);
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const Json description = read_json(dir("inherited.json"));
  EXPECT_EQ(description["weights"]["source"], "inherited from the supernet after 1 epoch");
  EXPECT_EQ(description["weights"]["supernet_epochs"], 1);
  EXPECT_EQ(description["chosen_by"], "--trial " + std::to_string(other));
  EXPECT_NEAR(python_accuracy(model), description["metrics"]["test_accuracy"].get<double>(), kOneTestImage);
  const auto [validation, one_image] = module_validation_accuracy(model, run_dir);
  EXPECT_NEAR(validation, description["metrics"]["val_accuracy"].get<double>(), one_image)
      << "the module holds the weights the search scored the trial with";
}

TEST_F(WeightSharingExport, TheBestSposSubNetworkExportsWithTheWeightsItInheritsWhichPythonReproduces) {
  const std::string run_dir = spos_run();
  const std::string model = dir("cell.pt");
  const Outcome exported = nas_command("export " + run_dir + " --out " + model);
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const Json description = read_json(dir("cell.json"));
  const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
  EXPECT_EQ(description["run"]["trial"], log.best()->id) << "no retrain phase: the best inherited score";
  EXPECT_EQ(description["chosen_by"], "the best validation accuracy of the search");
  EXPECT_EQ(description["space"], "nb201");
  EXPECT_EQ(description["weights"]["source"], "inherited from the supernet after 1 epoch");
  EXPECT_DOUBLE_EQ(description["metrics"]["val_accuracy"].get<double>(), log.best()->metrics->val_accuracy);
  const double recorded = description["metrics"]["test_accuracy"].get<double>();
  ASSERT_EQ(log.exports().size(), 1u);
  EXPECT_DOUBLE_EQ(log.exports()[0].test_accuracy, recorded);
  EXPECT_NEAR(python_accuracy(model), recorded, kOneTestImage);
  const auto [validation, one_image] = module_validation_accuracy(model, run_dir);
  EXPECT_NEAR(validation, log.best()->metrics->val_accuracy, one_image)
      << "the module holds the weights the search scored the cell with";
}

TEST_F(WeightSharingExport, ARefusedExportWritesNothing) {
  const std::string run_dir = spos_run();
  const std::set<std::string> run_files = files_in(run_dir);
  const std::string out = dir("out");
  std::filesystem::create_directories(out);

  // Refused before anything is built: a trial the run does not have.
  Outcome refused = nas_command("export " + run_dir + " --trial 99 --out " + out + "/model.pt");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("no trial 99"), std::string::npos) << refused.output;
  EXPECT_TRUE(files_in(out).empty());

  // Refused after the model was written aside: its description cannot take its name (a folder holds
  // it). Neither file, nor anything half-written, is left.
  std::filesystem::create_directories(out + "/model.json/taken");
  refused = nas_command("export " + run_dir + " --out " + out + "/model.pt");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("model.json"), std::string::npos) << refused.output;
  EXPECT_EQ(files_in(out), (std::set<std::string>{"model.json"}));
  EXPECT_EQ(files_in(run_dir), run_files);  // before a reader of the log adds SQLite's -wal and -shm files
  EXPECT_TRUE(SearchLog::open(run_dir, SearchLog::Mode::read_only).exports().empty()) << "nothing recorded";
}

}  // namespace
}  // namespace nas
