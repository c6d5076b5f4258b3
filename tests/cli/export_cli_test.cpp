// `nas export`: the winner of a search as a TorchScript file that C++ and Python (Debian's
// python3-torch) both load, and that reproduces on the real test images what nas recorded.
#include <gtest/gtest.h>
#include <torch/script.h>

#include <filesystem>
#include <fstream>

#include "../support/scratch.hpp"
#include "core/json.hpp"
#include "evaluators/datasets/idx_reader.hpp"
#include "experiments/log/search_log.hpp"
#include "nas_process.hpp"

namespace nas {
namespace {

using testing::nas_command;
using testing::Outcome;

constexpr const char* kTestImages = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
constexpr const char* kTestLabels = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz";

// Loads the model with torch.jit.load, classifies all 10,000 test images (read from the IDX files
// with gzip, as a user without nas would) and writes the accuracy, then the logits of the first 64
// images, one number a line.
constexpr const char* kPythonCheck = R"(import gzip, sys
import numpy as np
import torch
model_path, images_path, labels_path, out_path = sys.argv[1:5]
with gzip.open(images_path) as f:
    images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 1, 28, 28)
with gzip.open(labels_path) as f:
    labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)
model = torch.jit.load(model_path)
model.eval()
x = torch.from_numpy(images.astype(np.float32) / 255.0)
with torch.no_grad():
    logits = torch.cat([model(x[i:i + 500]) for i in range(0, x.shape[0], 500)])
accuracy = (logits.argmax(1).numpy() == labels).mean()
with open(out_path, 'w') as out:
    out.write(repr(float(accuracy)) + '\n')
    out.write('\n'.join(repr(v) for v in logits[:64].flatten().tolist()) + '\n')
)";

class Export : public testing::ScratchDirTest {
 protected:
  // A finished three-trial search whose best trial's weights are the only ones kept.
  std::string searched_run() {
    const std::string file = dir("small.yaml");
    std::ofstream(file) << "name: exportable\n"
                           "seed: 5\n"
                           "dataset: {name: fashion-mnist, train_subset: 1024, validation: 256}\n"
                           "space: {name: nasnet, blocks: 2}\n"
                           "controller: {name: random}\n"
                           "evaluator: {workers: 2, epochs: 1, batch_size: 64, keep_weights: 1}\n"
                           "budget: {trials: 3}\n";
    const std::string run_dir = dir("run");
    const Outcome run = nas_command("run " + file + " --quiet --out " + run_dir);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    return run_dir;
  }
};

TEST_F(Export, PythonReproducesTheRecordedTestAccuracyAndTheCppOutputs) {
  const std::string run_dir = searched_run();
  const std::string model = dir("model.pt");
  const Outcome exported = nas_command("export " + run_dir + " --out " + model);
  ASSERT_EQ(exported.exit_code, 0) << exported.output;

  const Json description = Json::parse(std::ifstream(dir("model.json")));
  const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
  EXPECT_EQ(description["run"]["trial"], log.best()->id) << "the best trial by default";
  EXPECT_EQ(description["genotype"], log.best()->arch["genotype"]);
  EXPECT_EQ(description["input"]["shape"], (Json{1, 28, 28}));
  EXPECT_EQ(description["classes"].size(), 10u);
  EXPECT_EQ(description["classes"][0], "T-shirt/top");
  const double recorded = description["metrics"]["test_accuracy"].get<double>();
  ASSERT_EQ(log.exports().size(), 1u);
  EXPECT_DOUBLE_EQ(log.exports()[0].test_accuracy, recorded) << "the log records what model.json says";
  const Outcome inspect = nas_command("inspect " + run_dir);
  EXPECT_NE(inspect.output.find("trial " + std::to_string(log.best()->id) + " -> " + model), std::string::npos)
      << inspect.output;

  // Python, from the raw test files.
  const std::string script = dir("check.py"), output = dir("python.txt");
  std::ofstream(script) << kPythonCheck;
  ASSERT_EQ(std::system(("/usr/bin/python3 " + script + " " + model + " " + kTestImages + " " + kTestLabels + " " +
                         output)
                            .c_str()),
            0)
      << "python3-torch must be installed (scripts/setup.sh installs it)";
  std::ifstream python(output);
  double python_accuracy = 0;
  python >> python_accuracy;
  EXPECT_NEAR(python_accuracy, recorded, 0.001);
  std::vector<float> python_logits;
  for (double value; python >> value;) python_logits.push_back(static_cast<float>(value));

  // C++, the same module on the same 64 images.
  const IdxArray images = read_idx_gz(kTestImages, idx_images_magic);
  const torch::Tensor first = torch::from_blob(const_cast<std::uint8_t*>(images.data.data()), {64, 1, 28, 28},
                                               torch::kUInt8)
                                  .to(torch::kFloat32) /
                              255.0;
  torch::jit::Module loaded = torch::jit::load(model);
  torch::NoGradGuard no_grad;
  const torch::Tensor cpp_logits = loaded.forward({first}).toTensor();
  ASSERT_EQ(static_cast<std::int64_t>(python_logits.size()), cpp_logits.numel());
  const float difference = (torch::tensor(python_logits).view_as(cpp_logits) - cpp_logits).abs().max().item<float>();
  EXPECT_LE(difference, 1e-4f);
}

TEST_F(Export, TrialWithoutKeptWeightsNeedsRetrainingWhichIsRecorded) {
  const std::string run_dir = searched_run();
  std::int64_t other = -1;
  {
    const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
    for (const TrialRow& row : log.trials())
      if (row.status == TrialStatus::done && row.id != log.best()->id && row.reused_from < 0) other = row.id;
  }
  ASSERT_GE(other, 0);
  const std::string model = dir("other.pt");
  Outcome outcome = nas_command("export " + run_dir + " --trial " + std::to_string(other) + " --out " + model);
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("--retrain-epochs"), std::string::npos) << outcome.output;
  EXPECT_FALSE(std::filesystem::exists(model));

  outcome = nas_command("export " + run_dir + " --trial " + std::to_string(other) + " --retrain-epochs 1 --out " + model);
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const Json description = Json::parse(std::ifstream(dir("other.json")));
  EXPECT_EQ(description["weights"]["source"], "retrained");
  EXPECT_EQ(description["weights"]["train_images"], 1024 + 256) << "training and validation images";
  const auto records = SearchLog::open(run_dir, SearchLog::Mode::read_only).exports();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].retrain_epochs, 1);
  EXPECT_EQ(records[0].trial_id, other);

  outcome = nas_command("export " + run_dir + " --trial 99 --out " + model);
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("no trial 99; its trials are 0 to 2"), std::string::npos) << outcome.output;
}

}  // namespace
}  // namespace nas
