// The node-classification trainer's time limit: it stops a training that runs past it, but never
// fails one whose last epoch is done.
#include <gtest/gtest.h>

#include "core/config_node.hpp"
#include "evaluators/evaluator.hpp"
#include "evaluators/graph_dataset.hpp"
#include "evaluators/node_trainer.hpp"
#include "evaluators/seeded_build.hpp"
#include "ops/graph/graph_network.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {
namespace {

const std::string kCora = std::string(NAS_SHARED_DIR) + "/datasets/planetoid/cora";

NodeTrainingResult train_tiny_gat(std::int64_t epochs, double limit_seconds) {
  const ConfigNode root = ConfigNode::parse("dataset: {name: planetoid, path: " + kCora +
                                                "}\nspace: {name: autognn}\nevaluator: {trial_time_limit: " +
                                                std::to_string(limit_seconds) + "}\n",
                                            "test.yaml");
  static const auto data = load_graph_dataset(root.section("dataset"));
  const auto space = make_search_space(root.section("space"));
  const Architecture arch = space->from_genotype(Json("gat sum elu 1x4 | gat sum linear 1xC"));
  auto built = build_seeded(*space, arch, data->shape(), 1);
  const NodeTrainerOptions options = read_node_trainer_options(root.section("evaluator"));
  const TrialClock clock(options.trial_time_limit, options.trial_time_limit_key);
  return train_node_classifier(dynamic_cast<GraphNetwork&>(*built), *data, data->train, options, epochs, clock);
}

TEST(NodeTrainer, ATrainingThatFinishesPastTheTimeLimitKeepsItsResult) {
  const NodeTrainingResult result = train_tiny_gat(1, 1e-6);
  EXPECT_EQ(result.best_epoch, 1);
  EXPECT_GT(result.val.accuracy, 0);
}

TEST(NodeTrainer, ATrainingPastTheTimeLimitStopsBeforeItsNextEpoch) {
  try {
    train_tiny_gat(3, 1e-6);
    FAIL() << "no TrialFailure";
  } catch (const TrialFailure& e) {
    EXPECT_NE(std::string(e.what()).find("after epoch 1 of 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("trial_time_limit"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nas
