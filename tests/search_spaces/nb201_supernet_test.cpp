// The single-path one-shot supernet of NAS-Bench-201: each group's rows are what the stand-alone
// network of its cell, holding the inherited weights, computes on the group's examples (training and
// eval mode), training moves only the ops on the sampled paths, extraction gives the network build()
// gives (parameter counts, export), and five groups take each op of an edge once.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "ops/network.hpp"
#include "ops/script_export.hpp"
#include "ops/supernet.hpp"
#include "search_spaces/nb201/nb201_genotype.hpp"
#include "search_spaces/nb201/nb201_network.hpp"
#include "search_spaces/nb201/nb201_space.hpp"
#include "tests/support/network_check.hpp"

namespace nas {
namespace {

using testing::channel_values;
using testing::cpp_logits;
using testing::max_difference;

constexpr double kTolerance = 1e-5;
constexpr std::int64_t kGroups = 4;
const TaskShape kTask{3, 16, 16, 10};

std::unique_ptr<SearchSpace> make_space(const std::string& options = "  channels: 4\n  cells_per_stage: 2\n") {
  return make_search_space(ConfigNode::parse("space:\n  name: nb201\n" + options, "test.yaml").section("space"));
}

Architecture cell(const SearchSpace& space, const std::string& arch_str) { return space.from_genotype(Json(arch_str)); }

torch::Tensor images(std::int64_t batch) { return torch::randn({batch, kTask.channels, kTask.height, kTask.width}); }

// The rows of group g: example b belongs to group b % groups.
torch::Tensor group_rows(std::int64_t g, std::int64_t groups, std::int64_t batch) {
  return torch::arange(g, batch, groups, torch::kLong);
}

// 52 sub-networks in groups of kGroups: 7 steps' worth from the supernet's own balanced sampling,
// 6 groups' worth drawn independently by RandomPolicy.
std::vector<std::vector<Architecture>> group_sets(const SearchSpace& space, const Supernet& supernet,
                                                  std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::vector<Architecture>> sets;
  for (int step = 0; step < 7; ++step) sets.push_back(supernet.sample_groups(kGroups, step, 0, rng));
  RandomPolicy policy(rng);
  for (int step = 0; step < 6; ++step) {
    std::vector<Architecture> archs;
    for (std::int64_t g = 0; g < kGroups; ++g) archs.push_back(space.sample(policy));
    sets.push_back(archs);
  }
  return sets;
}

// The largest difference, over the groups, between the supernet's rows of a group and the extracted
// network of its architecture run on the group's examples alone, all in the same mode. When `control`
// is given, it is raised to the largest difference between those rows and the next group's extracted
// network, which the comparison must tell apart.
double max_group_difference(Supernet& supernet, const std::vector<Architecture>& archs, const torch::Tensor& input,
                            bool training, double* control = nullptr) {
  torch::NoGradGuard no_grad;
  supernet.train(training);
  const torch::Tensor output = supernet.forward(input, archs);
  EXPECT_EQ(output.sizes(), (std::vector<std::int64_t>{input.size(0), kTask.classes}));
  double worst = 0;
  const auto groups = static_cast<std::int64_t>(archs.size());
  for (std::int64_t g = 0; g < groups; ++g) {
    SCOPED_TRACE(archs[static_cast<std::size_t>(g)].short_form());
    const std::shared_ptr<Network> network = supernet.extract(archs[static_cast<std::size_t>(g)]);
    network->train(training);
    const torch::Tensor rows = group_rows(g, groups, input.size(0));
    const double difference =
        max_difference(output.index_select(0, rows), network->forward(input.index_select(0, rows)));
    EXPECT_LE(difference, kTolerance);
    worst = std::max(worst, difference);
    if (control) {
      const std::shared_ptr<Network> other = supernet.extract(archs[static_cast<std::size_t>((g + 1) % groups)]);
      other->train(training);
      *control = std::max(*control, max_difference(output.index_select(0, rows),
                                                    other->forward(input.index_select(0, rows))));
    }
  }
  return worst;
}

void train_steps(Supernet& supernet, int steps, std::uint64_t seed) {
  Rng rng(seed);
  torch::optim::SGD optimizer(supernet.parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
  supernet.train();
  for (int step = 0; step < steps; ++step) {
    const torch::Tensor input = images(2 * kGroups);
    const torch::Tensor labels = torch::randint(kTask.classes, {2 * kGroups}, torch::kLong);
    optimizer.zero_grad();
    torch::nn::functional::cross_entropy(supernet.forward(input, supernet.sample_groups(kGroups, step, 0, rng)), labels)
        .backward();
    optimizer.step();
  }
}

// The edge and op a supernet tensor belongs to ("layer0.edge1_3.nor_conv_3x3.bn.weight"), or nothing
// for a shared tensor.
struct EdgeOp {
  int edge = -1;
  int op = -1;
};
EdgeOp edge_op_of(const std::string& name) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', start = dot + 1))
    parts.push_back(name.substr(start, dot - start));
  parts.push_back(name.substr(start));
  if (parts.size() < 3 || parts[1].rfind("edge", 0) != 0) return {};
  const int from = parts[1][4] - '0', to = parts[1][6] - '0';
  return {nb201_edge_index(from, to), nb201_op_code(parts[2])};
}

TEST(Nb201Supernet, GroupRowsEqualTheExtractedNetworksInTrainingMode) {
  auto space = make_space();
  torch::manual_seed(1);
  const std::shared_ptr<Supernet> supernet = space->build_supernet(kTask);
  double worst = 0, control = 0;
  for (const auto& archs : group_sets(*space, *supernet, 3))
    worst = std::max(worst, max_group_difference(*supernet, archs, images(3 * kGroups), true, &control));
  EXPECT_GT(control, 1e-3);  // another group's sub-network computes something else
  std::cout << "[ info ] training mode, 52 sub-networks: max abs difference " << worst
            << " (another group's network: " << control << ")\n";
  ::testing::Test::RecordProperty("max_abs_difference_train", std::to_string(worst));
}

TEST(Nb201Supernet, GroupRowsEqualTheExtractedNetworksInEvalModeAfterTraining) {
  auto space = make_space();
  torch::manual_seed(2);
  const std::shared_ptr<Supernet> supernet = space->build_supernet(kTask);
  train_steps(*supernet, 5, 7);
  // The running statistics have moved away from their initial values (mean 0, variance 1).
  const torch::Tensor stem_mean = *supernet->named_buffers().find("stem.bn.running_mean");
  EXPECT_GT(stem_mean.abs().max().item<double>(), 1e-3);
  double worst = 0, control = 0;
  for (const auto& archs : group_sets(*space, *supernet, 4))
    worst = std::max(worst, max_group_difference(*supernet, archs, images(2 * kGroups + 1), false, &control));
  EXPECT_GT(control, 1e-3);
  std::cout << "[ info ] eval mode after training, 52 sub-networks: max abs difference " << worst
            << " (another group's network: " << control << ")\n";
  ::testing::Test::RecordProperty("max_abs_difference_eval", std::to_string(worst));
}

TEST(Nb201Supernet, TrainingMovesOnlyTheOpsOnTheSampledPaths) {
  auto space = make_space();
  // No nor_conv_1x1 on either path, and no dead branch (an op whose node no later edge reads gets no
  // gradient, though it is on the path).
  const Architecture first =
      cell(*space, "|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|skip_connect~2|");
  const Architecture second =
      cell(*space, "|skip_connect~0|+|nor_conv_3x3~0|none~1|+|avg_pool_3x3~0|nor_conv_3x3~1|skip_connect~2|");
  const auto& nb201 = dynamic_cast<const Nb201Space&>(*space);
  for (const std::vector<Architecture>& archs :
       {std::vector<Architecture>{first}, std::vector<Architecture>{first, second}}) {
    SCOPED_TRACE(std::to_string(archs.size()) + " group(s)");
    torch::manual_seed(5);
    const std::shared_ptr<Supernet> supernet = space->build_supernet(kTask);
    std::vector<Nb201Genotype> paths;
    for (const Architecture& arch : archs) paths.push_back(nb201.genotype_of(arch));
    const auto on_path = [&](const std::string& name) {
      const EdgeOp where = edge_op_of(name);
      if (where.edge < 0) return true;  // shared
      return std::any_of(paths.begin(), paths.end(),
                         [&](const Nb201Genotype& path) { return path.ops[where.edge] == where.op; });
    };
    std::map<std::string, torch::Tensor> before;
    for (const auto& entry : supernet->named_parameters()) before[entry.key()] = entry.value().detach().clone();
    for (const auto& entry : supernet->named_buffers()) before[entry.key()] = entry.value().clone();

    torch::optim::SGD optimizer(supernet->parameters(),
                                torch::optim::SGDOptions(0.1).momentum(0.9).weight_decay(1e-3));
    supernet->train();
    const torch::Tensor logits = supernet->forward(images(6), archs);
    torch::nn::functional::cross_entropy(logits, torch::randint(kTask.classes, {6}, torch::kLong)).backward();
    int on = 0, off = 0;
    for (const auto& entry : supernet->named_parameters()) {
      SCOPED_TRACE(entry.key());
      const torch::Tensor& grad = entry.value().grad();
      if (entry.key().find("nor_conv_1x1") != std::string::npos) {
        EXPECT_FALSE(grad.defined());
      }
      if (on_path(entry.key())) {
        ++on;
        ASSERT_TRUE(grad.defined());
        EXPECT_GT(grad.abs().sum().item<double>(), 0.0);
      } else {
        ++off;
        EXPECT_FALSE(grad.defined() && grad.abs().sum().item<double>() > 0);
      }
    }
    EXPECT_GT(on, 0);
    EXPECT_GT(off, 0);
    optimizer.step();
    // Off the paths nothing moved, neither a weight (weight decay and momentum included) nor a running
    // statistic; on them the weights and statistics did.
    for (const auto& named : {supernet->named_parameters(), supernet->named_buffers()})
      for (const auto& entry : named) {
        SCOPED_TRACE(entry.key());
        const bool same = torch::equal(entry.value().detach(), before.at(entry.key()));
        if (!on_path(entry.key())) {
          EXPECT_TRUE(same);
        } else if (entry.key().find("weight") != std::string::npos ||
                   entry.key().find("running") != std::string::npos) {
          EXPECT_FALSE(same);
        }
      }
  }
}

TEST(Nb201Supernet, ExtractGivesTheNetworkBuildGivesWithCopiesOfTheInheritedTensors) {
  auto space = make_space();
  torch::manual_seed(6);
  const std::shared_ptr<Supernet> supernet = space->build_supernet(kTask);
  train_steps(*supernet, 2, 1);
  Rng rng(9);
  RandomPolicy policy(rng);
  std::vector<Architecture> archs = {cell(*space, "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"),
                                     cell(*space, "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|"
                                                  "nor_conv_3x3~1|nor_conv_3x3~2|")};
  for (int i = 0; i < 8; ++i) archs.push_back(space->sample(policy));
  for (const Architecture& arch : archs) {
    SCOPED_TRACE(arch.short_form());
    const std::shared_ptr<Network> extracted = supernet->extract(arch);
    const std::shared_ptr<Network> built = space->build(arch, kTask);
    EXPECT_NE(dynamic_cast<Nb201Network*>(extracted.get()), nullptr);
    EXPECT_EQ(parameter_count(*extracted), parameter_count(*built));
    EXPECT_EQ(parameter_count(*extracted), space->describe(arch, kTask).params);
    const auto extracted_parameters = extracted->named_parameters(), built_parameters = built->named_parameters();
    ASSERT_EQ(extracted_parameters.keys(), built_parameters.keys());
    for (const auto& entry : built_parameters)
      EXPECT_EQ(extracted_parameters[entry.key()].sizes(), entry.value().sizes()) << entry.key();
    EXPECT_EQ(extracted->named_buffers().keys(), built->named_buffers().keys());
  }
  // Copies: changing the extracted network leaves the supernet as it was.
  const std::shared_ptr<Network> extracted = supernet->extract(archs[1]);
  const torch::Tensor stem = supernet->named_parameters()["stem.conv.weight"].detach().clone();
  const torch::Tensor mean = supernet->named_buffers()["head_bn.running_mean"].clone();
  {
    torch::NoGradGuard no_grad;
    extracted->named_parameters()["stem.conv.weight"].add_(1.0);
    extracted->named_buffers()["head_bn.running_mean"].add_(1.0);
  }
  EXPECT_TRUE(torch::equal(supernet->named_parameters()["stem.conv.weight"].detach(), stem));
  EXPECT_TRUE(torch::equal(supernet->named_buffers()["head_bn.running_mean"], mean));
  // The extracted network exports with the stand-alone network's TorchScript form.
  const std::shared_ptr<Network> inherited = supernet->extract(archs[2]);
  const torch::Tensor image_mean = channel_values(kTask.channels, 0.4), image_std = channel_values(kTask.channels, 0.2);
  torch::jit::Module script = script_image_classifier(*inherited, image_mean, image_std);
  const torch::Tensor batch = torch::rand({3, kTask.channels, kTask.height, kTask.width});
  const torch::Tensor expected = cpp_logits(*inherited, batch, image_mean, image_std);
  torch::NoGradGuard no_grad;
  EXPECT_LE(max_difference(script.forward({batch}).toTensor(), expected), testing::kScriptTolerance);
}

TEST(Nb201Supernet, HoldsOneWeightPerCellEdgeAndOpBesideTheSharedLayers) {
  // Shared: the all-none network's parameters. Each cell edge adds what one conv on it adds to them.
  auto space = make_space();
  const std::shared_ptr<Supernet> supernet = space->build_supernet(kTask);
  const std::string none = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
  const std::int64_t shared = space->describe(cell(*space, none), kTask).params;
  std::int64_t expected = shared;
  for (int e = 0; e < kNb201Edges; ++e)
    for (int op : {kNb201Conv1x1, kNb201Conv3x3}) {
      Nb201Genotype genotype;
      genotype.ops[e] = op;
      expected += space->describe(cell(*space, nb201_arch_string(genotype)), kTask).params - shared;
    }
  EXPECT_EQ(parameter_count(*supernet), expected);
}

TEST(Nb201Supernet, FiveGroupsWithoutWarmUpTakeEachOpOfAnEdgeOnce) {
  auto space = make_space();
  const std::shared_ptr<Supernet> supernet = space->build_supernet(kTask);
  std::vector<std::string> all = nb201_op_labels();
  std::sort(all.begin(), all.end());
  std::set<std::string> cells;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Rng rng(seed);
    const std::vector<Architecture> archs = supernet->sample_groups(5, static_cast<int>(seed), 0, rng);
    ASSERT_EQ(archs.size(), 5u);
    for (int e = 0; e < kNb201Edges; ++e) {
      std::vector<std::string> labels;
      for (const Architecture& arch : archs) labels.push_back(arch.choices()[static_cast<std::size_t>(e)].label);
      std::sort(labels.begin(), labels.end());
      EXPECT_EQ(labels, all) << "edge " << nb201_edge_names()[e] << ", seed " << seed;
    }
    for (const Architecture& arch : archs) cells.insert(arch.short_form());
  }
  EXPECT_GT(cells.size(), 90u);  // the edges draw independently, so the cells vary
}

TEST(Nb201Supernet, TheSpaceOffersItForWhatBuildAcceptsAndItHoldsOnlyTheSpacesOps) {
  auto space = make_space();
  EXPECT_TRUE(space->offers_supernet());
  const TaskShape odd{3, 18, 18, 10};  // 9x9 before the second reduction
  EXPECT_THROW(space->build(cell(*space, "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"), odd), Error);
  EXPECT_THROW(space->build_supernet(odd), Error);

  auto narrow = make_space("  channels: 4\n  cells_per_stage: 1\n  ops: [skip_connect, nor_conv_3x3]\n");
  torch::manual_seed(8);
  const std::shared_ptr<Supernet> supernet = narrow->build_supernet(kTask);
  for (const auto& entry : supernet->named_parameters()) {
    EXPECT_EQ(entry.key().find("nor_conv_1x1"), std::string::npos) << entry.key();
    EXPECT_EQ(entry.key().find("avg_pool"), std::string::npos) << entry.key();
  }
  Rng rng(1);
  const std::vector<Architecture> archs = supernet->sample_groups(2, 0, 0, rng);
  for (int e = 0; e < kNb201Edges; ++e) {
    std::set<std::string> labels;
    for (const Architecture& arch : archs) labels.insert(arch.choices()[static_cast<std::size_t>(e)].label);
    EXPECT_EQ(labels, (std::set<std::string>{"skip_connect", "nor_conv_3x3"}));
  }
  EXPECT_LE(max_group_difference(*supernet, archs, images(4), true), kTolerance);
  // A cell with an op the space does not offer has no path here.
  const Architecture other = cell(*space, "|nor_conv_1x1~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|"
                                          "skip_connect~1|skip_connect~2|");
  EXPECT_THROW(supernet->extract(other), Error);
  EXPECT_THROW(supernet->forward(images(2), {other}), Error);
}

}  // namespace
}  // namespace nas
