// einspace: the grammar's filters and backtracking as a user meets them through sampling, the seeds,
// genotypes, replay and mutation.
#include <gtest/gtest.h>

#include <set>

#include "core/rng.hpp"
#include "grammar/derivation_tree.hpp"
#include "search_spaces/einspace/einspace_network.hpp"
#include "search_spaces/einspace/einspace_semantics.hpp"
#include "search_spaces/einspace/einspace_tree_builder.hpp"
#include "tests/search_spaces/einspace_test_support.hpp"

namespace nas {
namespace {

using testing::make_einspace;
using testing::task;
using namespace einspace_tree;

TEST(EinspaceSpace, SeedsHaveTheOfficialCodesParameterCountsAtCifarShape) {
  // The official code builds them with these counts at 3x32x32, 10 classes (every linear with a bias).
  auto space = make_einspace(task(3, 32, 32));
  const std::vector<std::pair<std::string, std::int64_t>> expected{
      {"resnet18", 11215690}, {"wrn16-4", 2751146}, {"vit", 4270218}, {"mlp-mixer", 2434698}};
  for (const auto& [name, params] : expected) {
    const Architecture arch = space->named(name);
    EXPECT_EQ(space->describe(arch, task(3, 32, 32)).params, params) << name;
    EXPECT_EQ(parameter_count(*space->build(arch, task(3, 32, 32))), params) << name;
  }
}

TEST(EinspaceSpace, SeedsRunOnFashionMnistShapeToo) {
  auto space = make_einspace(task(1, 28, 28));
  for (const auto& name : space->named_architectures()) {
    auto network = space->build(space->named(name), task(1, 28, 28));
    torch::NoGradGuard no_grad;
    EXPECT_EQ(network->forward(torch::rand({2, 1, 28, 28})).sizes(), (std::vector<std::int64_t>{2, 10})) << name;
  }
}

TEST(EinspaceSpace, GenotypeRoundTripsAndChoicesReplayToTheSameArchitecture) {
  auto space = make_einspace(task(1, 28, 28), "  max_params: 500000\n");
  Rng rng(5);
  RandomPolicy policy(rng);
  for (int i = 0; i < 200; ++i) {
    const Architecture arch = space->sample(policy);
    const Architecture from_json = space->from_genotype(Json::parse(arch.genotype().dump()));
    EXPECT_EQ(from_json.hash(), arch.hash());
    EXPECT_EQ(from_json.genotype(), arch.genotype());
    EXPECT_EQ(space->replay(arch.choices()).hash(), arch.hash());
  }
  // Seeds hold terminals the sampler never draws (linear_x4 in the MLP-Mixer) and still replay.
  auto uncapped = make_einspace(task(1, 28, 28));
  const Architecture mixer = uncapped->named("mlp-mixer");
  EXPECT_EQ(uncapped->replay(mixer.choices()).hash(), mixer.hash());
}

TEST(EinspaceSpace, OffersOnlyOptionsThatFitTheModeAndTheBranchingFactor) {
  auto space = make_einspace(task(1, 28, 28), "  max_params: 500000\n");
  Rng rng(6);
  struct Spy : Policy {
    RandomPolicy inner;
    explicit Spy(Rng& r) : inner(r) {}
    std::size_t choose(const Decision& d) override {
      for (const auto& option : d.options) {
        EXPECT_NE(option, "linear_x4");  // the seeds' terminals are never offered
        EXPECT_NE(option, "linear_4th");
      }
      if (d.key == "S") {
        EXPECT_EQ(std::count(d.options.begin(), d.options.end(), "computation"), 0);  // no bare C at the root
      }
      return inner.choose(d);
    }
  } spy(rng);
  for (int i = 0; i < 300; ++i) space->sample(spy);
  // Over the trees: a clone4/group4 branch joins only by add or a concat of 4; a matmul only two branches.
  Rng rng2(7);
  RandomPolicy policy(rng2);
  int wide = 0;
  for (int i = 0; i < 500; ++i) {
    const Json tree = space->sample(policy).genotype()["tree"];
    std::function<void(const Json&)> visit = [&](const Json& node) {
      if (node["p"] == "branching") {
        const std::string split = node["c"].front()["p"], join = node["c"].back()["p"];
        const bool four = split == "clone4" || split.rfind("group(4", 0) == 0;
        if (four) {
          ++wide;
          EXPECT_TRUE(join == "add" || join.rfind("concat(4,", 0) == 0) << split << " joined by " << join;
          EXPECT_EQ(node["c"].size(), 3u);  // one module, copied
        }
        if (join.rfind("matmul", 0) == 0) {
          EXPECT_EQ(node["c"].size(), 4u);  // two modules
        }
      }
      if (node.contains("c"))
        for (const auto& child : node["c"]) visit(child);
    };
    visit(tree);
  }
  EXPECT_GT(wide, 10);
}

TEST(EinspaceSpace, Im2colNeedsOneWindowInThePaddedImageEvenInAGivenTree) {
  // A given tree (a seed, a mutated parent re-inferred) may hold a kernel larger than the image where
  // padding makes room; where it does not, the option is invalid, not a grid of size 0 or 1.
  EinspaceOptions options;
  EinContext context;
  context.input = EinShape::image(32, 32, 1);
  const auto result = [&](const std::string& label) {
    return einspace_terminal_result(*find_einspace_terminal("P", label), context, options, false);
  };
  EXPECT_FALSE(result("im2col(4,4,0)"));
  EXPECT_FALSE(result("im2col(8,8,0)"));
  ASSERT_TRUE(result("im2col(3,1,1)"));  // 1 + 2 >= 3: one column of windows
  EXPECT_EQ(result("im2col(3,1,1)")->output, EinShape::tokens(32, 32 * 9));
  context.input = EinShape::image(32, 4, 4);
  ASSERT_TRUE(result("im2col(4,4,0)"));
  EXPECT_EQ(result("im2col(4,4,0)")->output, EinShape::tokens(1, 32 * 16));
}

TEST(EinspaceSpace, Im2colThenCol2imRestoresTheGridWithPatchesAsChannels) {
  auto space = make_einspace(task(2, 8, 8));
  auto round_trip = [](const std::string& im2col) { return genotype(route(im2col, op("identity"), "col2im")); };
  // (kernel, stride, padding) -> channels C*k*k on the output grid.
  const std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> cases{
      {"im2col(1,1,0)", 2, 8}, {"im2col(1,2,0)", 2, 4}, {"im2col(3,1,1)", 18, 8}, {"im2col(3,2,1)", 18, 4},
      {"im2col(4,4,0)", 32, 2}, {"im2col(8,8,0)", 128, 1}};
  for (const auto& [label, channels, grid] : cases) {
    const Architecture arch = space->from_genotype(round_trip(label));
    const EinProgram program = space->program_of(arch, task(2, 8, 8));
    const EinShape out = program.steps[program.steps.size() - 2].output_shape;  // before the head
    EXPECT_EQ(out, EinShape::image(channels, grid, grid)) << label;
    auto network = std::dynamic_pointer_cast<EinspaceNetwork>(space->build(arch, task(2, 8, 8)));
    torch::NoGradGuard no_grad;
    const torch::Tensor x = torch::rand({3, 2, 8, 8});
    const auto tensors = network->forward_all(x);
    EXPECT_EQ(tensors[program.steps[program.steps.size() - 2].outputs[0]].sizes(),
              (std::vector<std::int64_t>{3, channels, grid, grid}))
        << label;
  }
  // k = 1: the round trip is the identity.
  auto network = std::dynamic_pointer_cast<EinspaceNetwork>(space->build(space->from_genotype(round_trip("im2col(1,1,0)")), task(2, 8, 8)));
  const torch::Tensor x = torch::rand({3, 2, 8, 8});
  EXPECT_TRUE(torch::equal(network->forward_all(x)[2], x));
}

TEST(EinspaceSpace, ARoutedLinearBecomesAConvolutionThatComputesTheSame) {
  // route[im2col(3,2,1)](linear16)[col2im] is compiled as one Conv2d; unfold + linear + fold by hand
  // with the convolution's weights must give its output.
  auto space = make_einspace(task(3, 9, 9));
  const Architecture arch = space->from_genotype(genotype(route("im2col(3,2,1)", op("linear16"), "col2im")));
  const EinProgram program = space->program_of(arch, task(3, 9, 9));
  ASSERT_EQ(program.steps.front().kind, EinStepKind::conv);
  EXPECT_EQ(program.steps.front().output_shape, EinShape::image(16, 5, 5));
  auto network = std::dynamic_pointer_cast<EinspaceNetwork>(space->build(arch, task(3, 9, 9)));
  torch::Tensor weight, bias;
  for (const auto& p : network->named_parameters())
    if (p.key() == "s0.weight") weight = p.value();
    else if (p.key() == "s0.bias") bias = p.value();
  ASSERT_TRUE(weight.defined() && bias.defined());
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::rand({2, 3, 9, 9});
  const torch::Tensor patches =
      torch::nn::functional::unfold(x, torch::nn::functional::UnfoldFuncOptions({3, 3}).padding(1).stride(2))
          .transpose(1, 2);  // [2, 25, 27]
  const torch::Tensor by_hand =
      torch::linear(patches, weight.reshape({16, 27}), bias).transpose(1, 2).reshape({2, 16, 5, 5});
  EXPECT_LE((network->forward_all(x)[1] - by_hand).abs().max().item<double>(), 1e-5);
}

TEST(EinspaceSpace, CopiedBranchesHaveWeightsOfTheirOwn) {
  auto space = make_einspace(task(1, 8, 8));
  const Architecture arch = space->from_genotype(genotype(branch("clone4", {op("linear16")}, "add")));
  auto network = space->build(arch, task(1, 8, 8));
  std::vector<torch::Tensor> weights;
  for (const auto& p : network->named_parameters())
    if (p.value().dim() == 2 && p.value().size(0) == 16) weights.push_back(p.value());
  ASSERT_EQ(weights.size(), 4u);
  for (std::size_t i = 1; i < weights.size(); ++i) EXPECT_FALSE(torch::equal(weights[0], weights[i]));
  EXPECT_EQ(space->describe(arch, task(1, 8, 8)).params, 4 * (8 * 16 + 16) + (1 * 10 + 10));
}

TEST(EinspaceSpace, MutationRegrowsOneSubtreeIntoAValidDifferentArchitecture) {
  auto space = make_einspace(task(1, 28, 28), "  max_params: 500000\n");
  Rng rng(8);
  RandomPolicy policy(rng);
  int different = 0;
  for (int i = 0; i < 200; ++i) {
    const Architecture parent = space->sample(policy);
    const Architecture child = space->mutate(parent, rng);
    different += child.hash() != parent.hash();
    EXPECT_EQ(space->from_genotype(child.genotype()).hash(), child.hash());  // a valid tree
  }
  // A regrown subtree uses another production at its root, yet can compute the same (e.g. two
  // identities), so not every child differs.
  EXPECT_GT(different, 180);
  // The seeds mutate too (RE(RN18) starts from them).
  const Architecture resnet = make_einspace(task(1, 28, 28))->named("resnet18");
  EXPECT_NE(make_einspace(task(1, 28, 28))->mutate(resnet, rng).hash(), resnet.hash());
}

TEST(EinspaceSpace, CapsBoundDepthParametersAndTensorSizes) {
  auto space = make_einspace(task(3, 32, 32),
                             "  max_depth: 6\n  max_params: 50000\n  max_feature_elements: 20000\n"
                             "  max_operations: 12\n  linear_widths: [16, 32]\n  exclude: [softmax, 'im2col(3,1,1)']\n");
  Rng rng(9);
  RandomPolicy policy(rng);
  for (int i = 0; i < 300; ++i) {
    const Architecture arch = space->sample(policy);
    const auto tree = space->tree_of(arch);
    int deepest = 0;
    grammar::visit_preorder<EinNode>(*tree, [&](const EinNode& n) {
      if (n.symbol == 1) deepest = std::max(deepest, n.depth);  // M nodes
      EXPECT_LE(n.result.output.elements(), 20000);
    });
    EXPECT_LE(deepest, 6);
    EXPECT_LE(tree->result.operations, 12);
    EXPECT_LE(space->describe(arch, task(3, 32, 32)).params, 50000);
    for (const Choice& choice : arch.choices()) {
      EXPECT_NE(choice.label, "softmax");
      EXPECT_NE(choice.label, "im2col(3,1,1)");
      if (choice.label.rfind("linear", 0) == 0) {
        EXPECT_TRUE(choice.label == "linear16" || choice.label == "linear32");
      }
    }
  }
}

TEST(EinspaceSpace, NeedsTheInputShapeAndRefusesAnotherOne) {
  const ConfigNode root = ConfigNode::parse("space: {name: einspace}", "test.yaml");
  try {
    make_search_space(root.section("space"), nullptr);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("input_shape"), std::string::npos) << e.what();
  }
  const ConfigNode given = ConfigNode::parse("space: {name: einspace, input_shape: 3x32x32}", "test.yaml");
  const TaskShape fashion = task(1, 28, 28);
  EXPECT_THROW(make_search_space(given.section("space"), &fashion), Error);
  auto space = make_search_space(given.section("space"), nullptr);
  const Architecture vit = space->named("vit");
  EXPECT_THROW(space->build(vit, fashion), Error);  // derived for 3x32x32
}

TEST(EinspaceSpace, BadGenotypesNameTheNodeAndWhatWasWrong) {
  auto space = make_einspace(task(1, 28, 28));
  auto message = [&](const Json& genotype) {
    try {
      space->from_genotype(genotype);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(Json{{"tree", node("S", "teleport")}}).find("has no production 'teleport'"), std::string::npos);
  EXPECT_NE(message(Json{{"tree", node("S", "sequential", {node("C", "norm")})}}).find("cannot stand here"),
            std::string::npos);
  // A matmul of two 28x28 images with different channel counts does not fit: the node is named.
  const std::string text = message(genotype(branch("clone2", {op("identity"), op("linear16")}, "add")));
  EXPECT_NE(text.find("genotype.tree.c[3]"), std::string::npos) << text;
}

}  // namespace
}  // namespace nas
