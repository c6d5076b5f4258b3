#pragma once
// A search space for the evaluator tests, independent of NASNet: decision "body" picks a small MLP,
// a small CNN or a network whose first layer expects the wrong input size (a shape error in
// forward); decision "head" can multiply the logits by NaN. Plus the small Fashion-MNIST split the
// tests share, loaded once per test program.
#include <torch/torch.h>

#include <atomic>
#include <limits>
#include <memory>

#include "core/config_node.hpp"
#include "evaluators/datasets/dataset_registry.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "ops/network.hpp"
#include "search_spaces/search_space.hpp"

namespace nas::evaluator_testing {

class TestNetwork : public Network {
 public:
  TestNetwork(torch::nn::Sequential body, bool poison)
      : body_(register_module("body", std::move(body))), poison_(poison) {}
  torch::Tensor forward(torch::Tensor x) override {
    x = body_->forward(x);
    return poison_ ? x * std::numeric_limits<float>::quiet_NaN() : x;
  }

 private:
  torch::nn::Sequential body_;
  bool poison_;
};

class TestMlpSpace : public SearchSpace {
 public:
  std::string name() const override { return "test-mlp"; }

  Architecture sample(Policy& policy) const override {
    const Decision body{"body", {"mlp16", "mlp64", "cnn", "wrong-shape"}, {}, ""};
    const Decision head{"head", {"plain", "nan"}, {}, ""};
    const std::size_t b = policy.choose(body);
    const std::size_t h = policy.choose(head);
    const std::string canonical = body.options[b] + "/" + head.options[h];
    return Architecture(name(), {{body.key, b, body.options[b]}, {head.key, h, head.options[h]}},
                        Json{{"short", canonical}}, canonical);
  }
  Architecture from_genotype(const Json& genotype) const override {
    throw Error("test-mlp", "no genotype form: " + genotype.dump());
  }

  // `body` and `head` by label, e.g. arch("cnn", "plain").
  Architecture arch(const std::string& body, const std::string& head) const {
    return replay({{"body", 0, body}, {"head", 0, head}});
  }

  ModelSummary describe(const Architecture& arch, const TaskShape& task) const override {
    const std::string body = arch.choices()[0].label;
    const std::int64_t inputs = task.channels * task.height * task.width;
    ModelSummary summary;
    if (body == "cnn") {
      const std::int64_t pooled = (task.height / 4) * (task.width / 4);
      summary.params = task.channels * 8 * 9 + 8 + 8 * 16 * 9 + 16 + 16 * pooled * task.classes + task.classes;
      summary.madds = task.channels * 8 * 9 * task.height * task.width + 8 * 16 * 9 * pooled * 4 +
                      16 * pooled * task.classes;
    } else if (body == "wrong-shape") {
      summary.params = (inputs + 1) * task.classes + task.classes;
      summary.madds = (inputs + 1) * task.classes;
    } else {
      const std::int64_t hidden = body == "mlp16" ? 16 : 64;
      summary.params = inputs * hidden + hidden + hidden * task.classes + task.classes;
      summary.madds = inputs * hidden + hidden * task.classes;
    }
    return summary;
  }

  std::shared_ptr<Network> build(const Architecture& arch, const TaskShape& task) const override {
    ++builds;
    namespace nn = torch::nn;
    const std::string body = arch.choices()[0].label;
    const std::int64_t inputs = task.channels * task.height * task.width;
    nn::Sequential layers;
    if (body == "cnn") {
      layers->push_back(nn::Conv2d(nn::Conv2dOptions(task.channels, 8, 3).padding(1)));
      layers->push_back(nn::ReLU());
      layers->push_back(nn::MaxPool2d(2));
      layers->push_back(nn::Conv2d(nn::Conv2dOptions(8, 16, 3).padding(1)));
      layers->push_back(nn::ReLU());
      layers->push_back(nn::MaxPool2d(2));
      layers->push_back(nn::Flatten());
      layers->push_back(nn::Linear(16 * (task.height / 4) * (task.width / 4), task.classes));
    } else if (body == "wrong-shape") {
      layers->push_back(nn::Flatten());
      layers->push_back(nn::Linear(inputs + 1, task.classes));
    } else {
      const std::int64_t hidden = body == "mlp16" ? 16 : 64;
      layers->push_back(nn::Flatten());
      layers->push_back(nn::Linear(inputs, hidden));
      layers->push_back(nn::ReLU());
      layers->push_back(nn::Linear(hidden, task.classes));
    }
    return std::make_shared<TestNetwork>(layers, arch.choices()[1].label == "nan");
  }

  mutable std::atomic<int> builds{0};  // lets a test see that a candidate was rejected before building
};

inline ConfigNode parse_config(const std::string& yaml) { return ConfigNode::parse(yaml, "test.yaml"); }

// 2,000 training and 500 validation images of the real Fashion-MNIST, loaded once.
inline std::shared_ptr<const ImageDataset> small_fashion_mnist() {
  static const auto dataset = load_dataset(
      parse_config("dataset: {name: fashion-mnist, train_subset: 2000, validation: 500}").section("dataset"), 1);
  return dataset;
}

}  // namespace nas::evaluator_testing
