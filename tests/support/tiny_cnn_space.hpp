#pragma once
// A two-decision space of very small CNNs, for run-level tests that must train real networks in
// seconds. Option "nan" of decision "output" poisons the logits, so a test can watch a candidate
// fail alone while the search goes on.
#include <torch/torch.h>

#include "ops/network.hpp"
#include "search_spaces/search_space.hpp"

namespace nas::testing {

class TinyCnn : public Network {
 public:
  TinyCnn(const TaskShape& task, int width, bool poison)
      : conv_(register_module("conv", torch::nn::Conv2d(
                                          torch::nn::Conv2dOptions(task.channels, width, 3).stride(2).padding(1)))),
        fc_(register_module("fc", torch::nn::Linear(width * 16, task.classes))),
        poison_(poison) {}
  torch::Tensor forward(torch::Tensor x) override {
    x = torch::adaptive_avg_pool2d(torch::relu(conv_->forward(x)), {4, 4}).flatten(1);
    x = fc_->forward(x);
    return poison_ ? x * std::numeric_limits<float>::quiet_NaN() : x;
  }

 private:
  torch::nn::Conv2d conv_;
  torch::nn::Linear fc_;
  bool poison_;
};

class TinyCnnSpace : public SearchSpace {
 public:
  explicit TinyCnnSpace(std::vector<std::string> outputs = {"logits", "nan"}) : outputs_(std::move(outputs)) {}
  std::string name() const override { return "test-tiny-cnn"; }
  Architecture sample(Policy& policy) const override {
    const Decision width{"width", {"4", "8", "16"}, {}, ""};
    const Decision output{"output", outputs_, {}, ""};
    const std::size_t w = policy.choose(width);
    const std::size_t o = policy.choose(output);
    std::vector<Choice> choices = {{width.key, w, width.options[w]}, {output.key, o, output.options[o]}};
    const std::string canonical = width.options[w] + "/" + output.options[o];
    return Architecture(name(), choices, Json{{"short", canonical}}, canonical);
  }
  // One shipped architecture, for tests of seeded searches: the narrowest network with plain logits.
  std::vector<std::string> named_architectures() const override { return {"narrow"}; }
  Architecture named(const std::string& arch_name) const override {
    if (arch_name != "narrow") return SearchSpace::named(arch_name);
    return replay({Choice{"width", 0, "4"}, Choice{"output", 0, outputs_.front()}});
  }
  Architecture from_genotype(const Json& genotype) const override {
    throw Error("test-tiny-cnn", "no genotype form: " + genotype.dump());
  }
  ModelSummary describe(const Architecture& arch, const TaskShape& task) const override {
    const int width = std::stoi(arch.choices()[0].label);
    ModelSummary summary;
    summary.params = task.channels * width * 9 + width + width * 16 * task.classes + task.classes;
    summary.madds = task.channels * width * 9 * ((task.height + 1) / 2) * ((task.width + 1) / 2) +
                    width * 16 * task.classes;
    return summary;
  }
  std::shared_ptr<Network> build(const Architecture& arch, const TaskShape& task) const override {
    return std::make_shared<TinyCnn>(task, std::stoi(arch.choices()[0].label), arch.choices()[1].label == "nan");
  }

 private:
  std::vector<std::string> outputs_;
};

}  // namespace nas::testing
