// The evaluator section's pool keys: more intra-op threads than the machine has cores are refused
// (a thousand once took minutes to start before the first trial), naming the key and the bound.
#include <gtest/gtest.h>

#include <thread>

#include "../../support/scratch.hpp"
#include "core/config_node.hpp"
#include "evaluators/evaluation/trial_runner.hpp"

namespace nas {
namespace {

TEST(RunnerOptions, ThreadsPerWorkerAreBoundedByTheMachinesCores) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const ConfigNode fits = ConfigNode::parse("evaluator: {threads_per_worker: " + std::to_string(cores) + "}\n", "ok.yaml");
  EXPECT_EQ(read_runner_options(fits.section("evaluator")).threads_per_worker, static_cast<int>(cores));
  const ConfigNode root = ConfigNode::parse("evaluator: {workers: 1, threads_per_worker: 1000}\n", "threads.yaml");
  const std::string message = testing::error_of([&] { read_runner_options(root.section("evaluator")); });
  EXPECT_NE(message.find("threads.yaml:1"), std::string::npos) << message;
  EXPECT_NE(message.find("evaluator.threads_per_worker"), std::string::npos) << message;
  EXPECT_NE(message.find("more than the " + std::to_string(cores) + " cores"), std::string::npos) << message;
}

}  // namespace
}  // namespace nas
