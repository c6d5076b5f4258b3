// The training loop and the trainer's keys of the evaluator section.
#include <gtest/gtest.h>

#include "tests/support/scratch.hpp"

#include "evaluators/evaluation/evaluator.hpp"
#include "evaluators/training/trainer.hpp"
#include "evaluators/training/trainer_options.hpp"
#include "ops/training_random.hpp"
#include "tests/support/test_mlp_space.hpp"

namespace nas {
namespace {

using evaluator_testing::parse_config;
using evaluator_testing::small_fashion_mnist;
using evaluator_testing::TestMlpSpace;

TrainerOptions options_from(const std::string& evaluator_yaml) {
  return read_trainer_options(parse_config("evaluator: " + evaluator_yaml).section("evaluator"));
}

using nas::testing::error_of;

std::shared_ptr<Network> build(const std::string& body, const std::string& head) {
  torch::manual_seed(3);
  TestMlpSpace space;
  return space.build(space.arch(body, head), small_fashion_mnist()->shape);
}

TEST(Trainer, LearnsFashionMnist) {
  const auto net = build("cnn", "plain");
  const TrialMetrics metrics = train_and_validate(*net, *small_fashion_mnist(), options_from("{}"), 11);
  EXPECT_GT(metrics.val_accuracy, 0.5);  // chance is 0.1
  EXPECT_LT(metrics.val_loss, 1.6);      // chance is ln 10 = 2.3
  EXPECT_GT(metrics.train_seconds, 0);
}

TEST(Trainer, AdamAndConstantScheduleLearnToo) {
  const auto net = build("mlp64", "plain");
  const auto options = options_from("{schedule: constant, grad_clip: 0, optimizer: {name: adam, lr: 0.002}}");
  EXPECT_GT(train_and_validate(*net, *small_fashion_mnist(), options, 11).val_accuracy, 0.5);
}

TEST(Trainer, SameSeedGivesIdenticalMetrics) {
  const auto options = options_from("{max_steps: 20}");
  auto run = [&](std::uint64_t seed) {
    return train_and_validate(*build("cnn", "plain"), *small_fashion_mnist(), options, seed);
  };
  const TrialMetrics first = run(4), second = run(4), other = run(5);
  EXPECT_EQ(first.val_accuracy, second.val_accuracy);
  EXPECT_EQ(first.val_loss, second.val_loss);
  EXPECT_NE(first.val_loss, other.val_loss);  // the seed decides the batch order
}

// Records the progress it is told, to check the step count and the progress protocol.
class ProgressRecorder : public Network {
 public:
  ProgressRecorder() : fc_(register_module("fc", torch::nn::Linear(28 * 28, 10))) {}
  torch::Tensor forward(torch::Tensor x) override { return fc_->forward(x.flatten(1)); }
  void set_progress(double progress) override { seen.push_back(progress); }
  std::vector<double> seen;

 private:
  torch::nn::Linear fc_;
};

// A linear classifier behind dropout: its training draws random masks at every step.
class DroppingNet : public Network {
 public:
  DroppingNet() : fc_(register_module("fc", torch::nn::Linear(28 * 28, 10))) {}
  torch::Tensor forward(torch::Tensor x) override { return fc_->forward(training_dropout(x.flatten(1), 0.5, is_training())); }
  torch::Tensor weight() const { return fc_->weight.detach().clone(); }

 private:
  torch::nn::Linear fc_;
};

// Dropout and drop path draw from the training's own generator, seeded from its seed: what torch's
// global generator did before (another worker's draws) changes nothing.
TEST(Trainer, DropoutMasksFollowTheTrainingSeedNotTheGlobalGenerator) {
  const auto& data = *small_fashion_mnist();
  auto trained = [&](std::uint64_t global_seed) {
    torch::manual_seed(3);
    DroppingNet net;
    torch::manual_seed(global_seed);
    train_network(net, data.train_images, data.train_labels, data.mean, data.std, options_from("{max_steps: 5}"), 7,
                  TrialClock(0, "unused"));
    return net.weight();
  };
  EXPECT_TRUE(torch::equal(trained(1), trained(2)));
}

TEST(Trainer, MaxStepsCapsTrainingAndProgressIsReportedEachStep) {
  ProgressRecorder net;
  const auto& data = *small_fashion_mnist();
  train_network(net, data.train_images, data.train_labels, data.mean, data.std, options_from("{max_steps: 4}"), 1,
                TrialClock(0, "unused"));
  EXPECT_EQ(net.seen, (std::vector<double>{0, 0.25, 0.5, 0.75}));

  net.seen.clear();  // 2,000 images in batches of 1,000, twice: 4 steps
  train_network(net, data.train_images, data.train_labels, data.mean, data.std,
                options_from("{epochs: 2, batch_size: 1000}"), 1, TrialClock(0, "unused"));
  EXPECT_EQ(net.seen, (std::vector<double>{0, 0.25, 0.5, 0.75}));
}

TEST(Trainer, NanLossFailsAtTheFirstStep) {
  const auto net = build("mlp16", "nan");
  try {
    train_and_validate(*net, *small_fashion_mnist(), options_from("{}"), 1);
    FAIL() << "expected a TrialFailure";
  } catch (const TrialFailure& failure) {
    EXPECT_EQ(std::string(failure.what()), "loss became nan at step 1 of 31");
  }
}

TEST(Trainer, TimeLimitFailsTrialNamingTheKey) {
  const auto net = build("mlp16", "plain");
  try {
    train_and_validate(*net, *small_fashion_mnist(), options_from("{trial_time_limit: 0.000001}"), 1);
    FAIL() << "expected a TrialFailure";
  } catch (const TrialFailure& failure) {
    const std::string message = failure.what();
    EXPECT_NE(message.find("after step 1 of 31"), std::string::npos) << message;
    EXPECT_NE(message.find("over evaluator.trial_time_limit = 1e-06 s"), std::string::npos) << message;
  }
}

TEST(Trainer, ScheduleFactors) {
  EXPECT_DOUBLE_EQ(schedule_factor(LrSchedule::cosine, 0, 100), 1.0);
  EXPECT_NEAR(schedule_factor(LrSchedule::cosine, 50, 100), 0.5, 1e-12);
  EXPECT_LT(schedule_factor(LrSchedule::cosine, 99, 100), 0.001);
  EXPECT_DOUBLE_EQ(schedule_factor(LrSchedule::constant, 99, 100), 1.0);
}

TEST(Trainer, OptionsHaveDocumentedDefaults) {
  const TrainerOptions options = options_from("{}");
  EXPECT_EQ(options.epochs, 1);
  EXPECT_EQ(options.max_steps, 0);
  EXPECT_EQ(options.batch_size, 64);
  EXPECT_EQ(options.eval_batch_size, 500);
  EXPECT_EQ(options.schedule, LrSchedule::cosine);
  EXPECT_EQ(options.grad_clip, 5.0);
  EXPECT_EQ(options.trial_time_limit, 0);
  EXPECT_EQ(options.max_params, 0);
  EXPECT_EQ(options.device, torch::Device(torch::kCPU));

  torch::nn::Linear layer(2, 2);
  const auto sgd = options.make_optimizer(layer->parameters());
  const auto& sgd_options = static_cast<const torch::optim::SGDOptions&>(sgd->param_groups()[0].options());
  EXPECT_EQ(sgd_options.lr(), 0.05);
  EXPECT_EQ(sgd_options.momentum(), 0.9);
  EXPECT_FALSE(sgd_options.nesterov());
  EXPECT_EQ(sgd_options.weight_decay(), 3e-4);
}

TEST(Trainer, CudaDeviceWithoutCudaNamesTheKey) {
  if (torch::cuda::is_available()) GTEST_SKIP() << "this LibTorch has CUDA";
  for (const std::string device : {"cuda", "cuda:1"}) {
    const std::string message = error_of([&] { options_from("{device: '" + device + "'}"); });
    EXPECT_NE(message.find("evaluator.device"), std::string::npos) << message;
    EXPECT_NE(message.find("no CUDA"), std::string::npos) << message;
  }
  const std::string message = error_of([] { options_from("{device: gpu}"); });
  EXPECT_NE(message.find("unknown device 'gpu'; accepted: cpu, cuda, cuda:N"), std::string::npos) << message;
}

TEST(Trainer, UnknownOptimizerNameSuggestsOne) {
  const std::string message = error_of([] { options_from("{optimizer: {name: sdg}}"); });
  EXPECT_NE(message.find("evaluator.optimizer.name"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown optimizer 'sdg'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'sgd'"), std::string::npos) << message;
}

TEST(Trainer, KeyOfAnotherOptimizerIsUnknown) {
  std::string message = error_of([] { options_from("{optimizer: {name: adam, momentum: 0.9}}"); });
  EXPECT_NE(message.find("evaluator.optimizer.momentum"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown key 'momentum'"), std::string::npos) << message;
  message = error_of([] { options_from("{optimizer: {lr: 0.1, weight_dacay: 0.1}}"); });
  EXPECT_NE(message.find("did you mean 'weight_decay'"), std::string::npos) << message;
}

TEST(Trainer, EvaluatorSectionIsLeftForThePoolToFinish) {
  // workers and threads_per_worker are the pool's: reading the trainer's keys must not reject them.
  EXPECT_NO_THROW(options_from("{workers: 2, threads_per_worker: 1, epochs: 2}"));
}

}  // namespace
}  // namespace nas
