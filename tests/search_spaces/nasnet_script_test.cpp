// TorchScript export of NASNet networks: every op, and whole sampled networks, emitted as code by
// ScriptEmitter compute what the C++ modules compute in eval mode (SAME padding at odd and even sizes
// included), hold the trained tensors as named parameters and buffers, and survive save and load in
// C++ and, where Debian's python3-torch is installed, in Python.
#include <gtest/gtest.h>

#include <caffe2/serialize/inline_container.h>
#include <torch/script.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include "core/config_node.hpp"
#include "core/rng.hpp"
#include "ops/factorized_reduce.hpp"
#include "ops/relu_conv_bn.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_export.hpp"
#include "search_spaces/nasnet/nasnet_branch_op.hpp"
#include "search_spaces/nasnet/nasnet_space.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/network_check.hpp"

namespace nas {
namespace {

using testing::build_trained;
using testing::channel_values;
using testing::cpp_logits;
using testing::ends_with;
using testing::max_difference;
using testing::randomize;
constexpr double kTolerance = testing::kScriptTolerance;

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// The op emitted while the C++ op is still in training mode (the script must compute eval mode
// anyway), compared with the op's eval-mode output.
void expect_script_matches(UnaryOp& op, std::int64_t in_channels, std::int64_t size) {
  randomize(op);
  op.train();
  ScriptEmitter emitter;
  torch::jit::Module script = op.to_script(emitter);
  op.eval();
  const torch::Tensor input = torch::randn({2, in_channels, size, size});
  torch::NoGradGuard no_grad;
  const torch::Tensor expected = op.forward(input);
  const torch::Tensor actual = script.forward({input}).toTensor();
  EXPECT_LE(max_difference(actual, expected), kTolerance);
}

class NasnetScriptOp : public ::testing::TestWithParam<std::string> {};

TEST_P(NasnetScriptOp, MatchesTheCppOpAtBothStridesOddAndEvenSizesAndChannelChanges) {
  const std::string& label = GetParam();
  torch::manual_seed(1);
  int checked = 0;
  for (std::int64_t stride : {1, 2}) {
    for (std::int64_t size : {7, 8}) {
      // Equal widths (pools and identity keep their input) and a wider output (they project).
      for (const auto& [in, out] : std::vector<std::pair<std::int64_t, std::int64_t>>{{4, 4}, {3, 6}}) {
        SCOPED_TRACE(label + " stride " + std::to_string(stride) + " size " + std::to_string(size) + " channels " +
                     std::to_string(in) + "->" + std::to_string(out));
        BranchPlan branch;
        branch.op = label;
        branch.stride = stride;
        branch.in = FeatureShape{in, size, size};
        branch.out = FeatureShape{out, (size + stride - 1) / stride, (size + stride - 1) / stride};
        const std::shared_ptr<UnaryOp> op = make_nasnet_branch_op(branch);
        if (!op) continue;  // an identity that stays one has nothing to emit
        expect_script_matches(*op, in, size);
        ++checked;
      }
    }
  }
  // Only an identity at stride 1 that keeps the width (at both sizes) has no op.
  EXPECT_EQ(checked, label == "identity" ? 6 : 8);
}

INSTANTIATE_TEST_SUITE_P(EveryNasnetOp, NasnetScriptOp, ::testing::ValuesIn(nasnet_op_labels()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(NasnetScriptOps, CellInputOpsAndStemMatchTheCppOps) {
  torch::manual_seed(2);
  for (std::int64_t size : {7, 8}) {
    for (std::int64_t stride : {1, 2}) {
      for (bool relu : {false, true}) {
        SCOPED_TRACE("size " + std::to_string(size) + " stride " + std::to_string(stride) + " relu " +
                     std::to_string(relu));
        FactorizedReduce reduce(FactorizedReduceOptions{3, 6, stride, relu});
        expect_script_matches(reduce, 3, size);
        ReluConvBn conv(ReluConvBnOptions{3, 5, 3, stride, 1, relu});  // without ReLU: the stem
        expect_script_matches(conv, 3, size);
      }
    }
  }
}

TEST(NasnetScriptEmitter, GivesEveryModuleAClassOfItsOwnWithReadableNames) {
  ScriptEmitter emitter;
  const torch::jit::Module first = emitter.make_module("Op");
  const torch::jit::Module second = emitter.make_module("Op");
  EXPECT_EQ(first.type()->name()->qualifiedName(), "__torch__.nas.Op");
  EXPECT_EQ(second.type()->name()->qualifiedName(), "__torch__.nas.Op_1");
  EXPECT_FALSE(first.is_training());
  EXPECT_EQ(script_float(0.001), "0.001");
  EXPECT_EQ(script_float(0.1), "0.1");
  EXPECT_EQ(script_float(2.0), "2.0");
  EXPECT_EQ(script_int_list({2, 1}), "[2, 1]");
}

std::unique_ptr<SearchSpace> make_space(const std::string& options) {
  return make_search_space(ConfigNode::parse("space:\n  name: nasnet\n" + options, "test.yaml").section("space"));
}

// Small NASNet spaces whose training-mode forward differs from eval mode in every way it can: drop
// path, dropout and batch statistics.
const char* const kSmallSpace = "  blocks: 3\n  channels: 4\n  drop_path_keep: 0.6\n  dropout: 0.5\n";

TEST(NasnetScriptNetwork, SampledArchitecturesMatchTheCppNetworkInEvalMode) {
  Rng rng(11);
  RandomPolicy policy(rng);
  torch::manual_seed(3);
  std::map<std::string, int> combines;
  const std::vector<std::pair<std::string, TaskShape>> setups = {
      {"  stem_stride: 2\n", TaskShape{1, 15, 15, 10}},  // odd sizes: 8 -> 4 -> 2
      {"  stem_stride: 1\n", TaskShape{3, 10, 10, 7}},   // even, then odd: 10 -> 5 -> 3
  };
  for (const auto& [stem, task] : setups) {
    auto space = make_space(kSmallSpace + stem);
    std::vector<Architecture> archs = {space->sample(policy), space->sample(policy), space->sample(policy)};
    for (const Architecture& arch : archs) {
      for (const auto& cell : {arch.genotype()["normal"], arch.genotype()["reduction"]})
        for (const auto& block : cell) ++combines[block["combine"].get<std::string>()];
      testing::expect_export_matches(*space, arch, task);
    }
  }
  // Every architecture has two reduction cells; the samples must also have combined both ways.
  EXPECT_GT(combines["add"], 0);
  EXPECT_GT(combines["concat"], 0);
}

TEST(NasnetScriptNetwork, NasnetAMatchesTheCppNetworkAtAnyImageSize) {
  // The padding is computed when the script runs, so one export serves other image sizes too.
  auto space = make_space("  channels: 4\n");
  torch::manual_seed(4);
  const TaskShape task{3, 16, 16, 10};
  std::shared_ptr<Network> network = build_trained(*space, space->named("nasnet-a"), task);
  const torch::Tensor mean = channel_values(3, 0.5), std = channel_values(3, 0.25);
  torch::jit::Module script = script_image_classifier(*network, mean, std);
  for (std::int64_t size : {16, 13}) {
    const torch::Tensor images = torch::rand({2, 3, size, size});
    const torch::Tensor expected = cpp_logits(*network, images, mean, std);
    torch::NoGradGuard no_grad;
    EXPECT_LE(max_difference(script.forward({images}).toTensor(), expected), kTolerance) << size;
  }
}

// The exported network's tensors by name, without the "network." of the classifier's submodule.
std::map<std::string, torch::Tensor> network_tensors(const torch::jit::Module& classifier, bool buffers) {
  std::map<std::string, torch::Tensor> tensors;
  const std::string prefix = "network.";
  const auto add = [&](const std::string& name, const torch::Tensor& value) {
    if (starts_with(name, prefix)) tensors[name.substr(prefix.size())] = value;
  };
  if (buffers) {
    for (const auto& buffer : classifier.named_buffers()) add(buffer.name, buffer.value);
  } else {
    for (const auto& parameter : classifier.named_parameters()) add(parameter.name, parameter.value);
  }
  return tensors;
}

std::map<std::string, torch::Tensor> as_map(const torch::OrderedDict<std::string, torch::Tensor>& tensors) {
  std::map<std::string, torch::Tensor> map;
  for (const auto& item : tensors) map[item.key()] = item.value();
  return map;
}

void expect_equal_copies(const std::map<std::string, torch::Tensor>& script,
                         const std::map<std::string, torch::Tensor>& cpp) {
  ASSERT_EQ(script.size(), cpp.size());
  for (const auto& [name, value] : cpp) {
    ASSERT_EQ(script.count(name), 1u) << name;
    EXPECT_TRUE(torch::equal(script.at(name), value)) << name;
    EXPECT_NE(script.at(name).data_ptr(), value.data_ptr()) << name << " is shared, not copied";
  }
}

TEST(NasnetScriptNetwork, HoldsCopiesOfEveryTensorUnderTheCppNames) {
  auto space = make_space(kSmallSpace);
  Rng rng(7);
  RandomPolicy policy(rng);
  torch::manual_seed(5);
  const TaskShape task{1, 12, 12, 10};
  std::shared_ptr<Network> network = build_trained(*space, space->sample(policy), task);
  const torch::jit::Module script = script_image_classifier(*network, torch::tensor({0.5}), torch::tensor({0.25}));
  expect_equal_copies(network_tensors(script, false), as_map(network->named_parameters()));
  expect_equal_copies(network_tensors(script, true), as_map(network->named_buffers()));
  EXPECT_TRUE(torch::equal(script.attr("mean").toTensor(), torch::tensor({0.5})));
  EXPECT_TRUE(torch::equal(script.attr("std").toTensor(), torch::tensor({0.25})));
}

TEST(NasnetScriptNetwork, RejectsNormalisationThatIsNotOnePositiveValuePerChannel) {
  auto space = make_space(kSmallSpace);
  Rng rng(1);
  RandomPolicy policy(rng);
  const std::shared_ptr<Network> network = space->build(space->sample(policy), TaskShape{1, 8, 8, 10});
  const auto error = [&](const torch::Tensor& mean, const torch::Tensor& std) {
    return testing::error_of([&] { script_image_classifier(*network, mean, std); });
  };
  EXPECT_NE(error(torch::ones({1, 1}), torch::ones({1, 1})).find("one value per channel"), std::string::npos);
  EXPECT_NE(error(torch::ones({2}), torch::ones({3})).find("one value per channel"), std::string::npos);
  EXPECT_NE(error(torch::ones({1}), torch::zeros({1})).find("positive std"), std::string::npos);
}

// A saved export: an exported NASNet network, the images it was checked on and what it returned.
class NasnetScriptFile : public testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    auto space = make_space(kSmallSpace);
    Rng rng(13);
    RandomPolicy policy(rng);
    torch::manual_seed(6);
    network_ = build_trained(*space, space->sample(policy), task_);
    torch::jit::Module script = script_image_classifier(*network_, mean_, std_);
    path_ = dir("classifier.pt");
    script.save(path_);
    // Deterministic images, so that another process (Python) can make the same ones.
    images_ = torch::linspace(0.0, 1.0, 2 * task_.channels * task_.height * task_.width)
                  .reshape({2, task_.channels, task_.height, task_.width});
    expected_ = cpp_logits(*network_, images_, mean_, std_);
  }

  const TaskShape task_{3, 11, 11, 10};
  const torch::Tensor mean_ = channel_values(3, 0.45), std_ = channel_values(3, 0.22);
  std::shared_ptr<Network> network_;
  std::string path_;
  torch::Tensor images_, expected_;
};

TEST_F(NasnetScriptFile, LoadsBackWithTheSameOutputsAndParameters) {
  torch::jit::Module loaded = torch::jit::load(path_);
  torch::NoGradGuard no_grad;
  EXPECT_LE(max_difference(loaded.forward({images_}).toTensor(), expected_), kTolerance);
  EXPECT_EQ(loaded.parameters().size(), network_->parameters().size());
  EXPECT_EQ(network_tensors(loaded, false).size(), network_->named_parameters().size());
  EXPECT_EQ(network_tensors(loaded, true).size(), network_->named_buffers().size());
}

TEST_F(NasnetScriptFile, HoldsReadableCodeThatReadsParametersNotConstants) {
  caffe2::serialize::PyTorchStreamReader reader(path_);
  std::string code;
  for (const std::string& record : reader.getAllRecords()) {
    if (!starts_with(record, "code/") || !ends_with(record, ".py")) continue;
    const auto [data, size] = reader.getRecord(record);
    code += std::string(static_cast<const char*>(data.get()), size);
  }
  for (const char* expected :
       {"class ImageClassifier", "class NasnetNetwork", "class NasnetCell", "def forward(self", "self.network",
        "self.cell0", "def same_padding(", "def conv2d_same(", "torch.batch_norm(", "self.running_mean",
        "self.weight"}) {
    EXPECT_NE(code.find(expected), std::string::npos) << expected << " is not in\n" << code.substr(0, 4000);
  }
  // Traced or frozen modules read their tensors from CONSTANTS.
  EXPECT_EQ(code.find("CONSTANTS."), std::string::npos);
}

TEST_F(NasnetScriptFile, RunsInPython) {
  // Debian's python3-torch matches the LibTorch this project builds with; scripts/setup.sh installs it.
  ASSERT_EQ(std::system("/usr/bin/python3 -c 'import torch' > /dev/null 2>&1"), 0)
      << "/usr/bin/python3 cannot import torch: apt-get install python3-torch (scripts/setup.sh does)";
  const std::string script_path = dir("load.py"), output_path = dir("logits.txt");
  // Prints the logits for the images SetUp made, one number a line; argv: module, then the image shape.
  std::ofstream(script_path) << R"(import sys, torch
model = torch.jit.load(sys.argv[1])
assert 'def forward' in model.code and not model.training
shape = [int(size) for size in sys.argv[2:]]
images = torch.linspace(0.0, 1.0, shape[0] * shape[1] * shape[2] * shape[3]).reshape(shape)
with torch.no_grad():
    print('\n'.join(repr(value) for value in model(images).flatten().tolist()))
)";
  std::string command = "/usr/bin/python3 " + script_path + " " + path_;
  for (std::int64_t size : images_.sizes()) command += " " + std::to_string(size);
  ASSERT_EQ(std::system((command + " > " + output_path).c_str()), 0);
  std::vector<float> logits;
  std::ifstream output(output_path);
  for (double value; output >> value;) logits.push_back(static_cast<float>(value));
  ASSERT_EQ(static_cast<std::int64_t>(logits.size()), expected_.numel());
  EXPECT_LE(max_difference(torch::tensor(logits).reshape(expected_.sizes()), expected_), kTolerance);
}

}  // namespace
}  // namespace nas
