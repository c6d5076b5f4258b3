// A training's random draws (dropout, drop path) depend on its seed alone: not on torch's global
// generator, and not on other trainings running beside it in the evaluator pool. Users rely on this
// to reproduce any trial, or a re-evaluation repeat, from the seed in the search log.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/config_node.hpp"
#include "evaluators/evaluation/evaluator.hpp"
#include "evaluators/evaluation/evaluator_registry.hpp"
#include "ops/drop_path.hpp"
#include "ops/training_random.hpp"
#include "search_spaces/search_space.hpp"
#include "tests/support/evaluate_once.hpp"

namespace nas {
namespace {

torch::Tensor dropped(double p) { return training_dropout(torch::ones({4096}), p, true); }

TEST(TrainingRandomness, DropoutFollowsTheScopesSeedWhateverTheGlobalGeneratorDid) {
  torch::Tensor first, second, other_seed;
  {
    const TrainingRandomScope scope(5);
    torch::manual_seed(1);
    first = dropped(0.5);
  }
  {
    const TrainingRandomScope scope(5);
    torch::manual_seed(2);
    torch::rand({100});
    second = dropped(0.5);
  }
  {
    const TrainingRandomScope scope(6);
    other_seed = dropped(0.5);
  }
  EXPECT_TRUE(torch::equal(first, second));
  EXPECT_FALSE(torch::equal(first, other_seed));
  // Inverted dropout: kept elements scaled by 1/(1-p), so the mean stays near the input's.
  EXPECT_TRUE(torch::equal(std::get<0>(torch::_unique(first)), torch::tensor({0.0f, 2.0f})));
  EXPECT_NEAR(first.mean().item<double>(), 1.0, 0.1);
}

TEST(TrainingRandomness, ScopesNestAndWithoutOneTheGlobalGeneratorDraws) {
  torch::manual_seed(3);
  const torch::Tensor global_once = dropped(0.5);
  torch::manual_seed(3);
  torch::Tensor inner, after_inner, outer_alone;
  {
    const TrainingRandomScope outer(8);
    { const TrainingRandomScope inner_scope(9); inner = dropped(0.5); }
    after_inner = dropped(0.5);
  }
  const torch::Tensor global_again = dropped(0.5);
  {
    const TrainingRandomScope outer(8);
    outer_alone = dropped(0.5);
  }
  EXPECT_TRUE(torch::equal(global_once, global_again)) << "the scopes drew from the global generator";
  EXPECT_TRUE(torch::equal(after_inner, outer_alone)) << "the inner scope did not give the outer one back";
  EXPECT_FALSE(torch::equal(inner, outer_alone));
}

TEST(TrainingRandomness, DropPathMasksWholeExamplesFromTheScopesGenerator) {
  const torch::Tensor input = torch::ones({64, 3, 2, 2});
  torch::Tensor first, second;
  {
    const TrainingRandomScope scope(11);
    torch::manual_seed(1);
    first = drop_path(input, 0.5);
  }
  {
    const TrainingRandomScope scope(11);
    torch::manual_seed(2);
    second = drop_path(input, 0.5);
  }
  EXPECT_TRUE(torch::equal(first, second));
  const torch::Tensor per_example = first.flatten(1);
  EXPECT_TRUE(torch::equal(per_example.amin(1), per_example.amax(1))) << "a mask split an example";
}

// Two trials of an Auto-GNN space with dropout 0.6, trained at once on two threads as the pool's
// workers do, give exactly what each gives trained alone.
TEST(TrainingRandomness, ConcurrentNodeTrainingsEqualTheSameTrainingsRunOneAtATime) {
  const ConfigNode root = ConfigNode::parse(std::string("dataset: {name: planetoid, path: ") + NAS_SHARED_DIR +
                                                "/datasets/planetoid/cora}\n"
                                                "space: {name: autognn, layers: 2, dropout: 0.6}\n"
                                                "evaluator: {name: node_classification, epochs: 15}\n",
                                            "concurrent.yaml");
  const auto space = make_search_space(root.section("space"));
  const auto evaluator = make_evaluator(root.section("dataset"), root.section("evaluator"), *space, 0);
  const Architecture arch = space->from_genotype(Json("gat sum elu 4x8 | gat sum linear 1xC"));
  const std::vector<std::uint64_t> seeds = {21, 22};

  std::vector<TrialMetrics> alone;
  for (const std::uint64_t seed : seeds) alone.push_back(testing::evaluate_once(*evaluator, arch, seed));
  std::vector<TrialMetrics> together(seeds.size());
  std::vector<std::thread> workers;
  for (std::size_t i = 0; i < seeds.size(); ++i)
    workers.emplace_back([&, i] { together[i] = testing::evaluate_once(*evaluator, arch, seeds[i]); });
  for (auto& worker : workers) worker.join();

  EXPECT_NE(alone[0].val_loss, alone[1].val_loss) << "the seeds do not matter: the test shows nothing";
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    EXPECT_EQ(together[i].val_loss, alone[i].val_loss) << "seed " << seeds[i];
    EXPECT_EQ(together[i].val_accuracy, alone[i].val_accuracy) << "seed " << seeds[i];
    EXPECT_EQ(together[i].reported.at("test_accuracy"), alone[i].reported.at("test_accuracy")) << "seed " << seeds[i];
  }
}

}  // namespace
}  // namespace nas
