// Message-passing layers: every attention function and aggregator runs, learns (gradients reach
// its parameters), normalises where the papers do, and its TorchScript form computes the same.
#include <gtest/gtest.h>

#include "ops/graph/graph_activation.hpp"
#include "ops/graph/graph_aggregator.hpp"
#include "ops/graph/graph_attention.hpp"
#include "ops/graph/graph_ops.hpp"
#include "ops/graph/message_passing_layer.hpp"
#include "ops/script_emitter.hpp"
#include "../support/scratch.hpp"

namespace nas {
namespace {

// A ring of 6 nodes plus a chord, both directions, with self-loops.
torch::Tensor small_graph() {
  const torch::Tensor u = torch::tensor({0, 1, 2, 3, 4, 5, 0}, torch::kInt64);
  const torch::Tensor v = torch::tensor({1, 2, 3, 4, 5, 0, 3}, torch::kInt64);
  return add_self_loops(torch::stack({torch::cat({u, v}), torch::cat({v, u})}), 6);
}

TEST(GraphOps, SegmentSoftmaxSumsToOnePerNeighbourhood) {
  torch::manual_seed(0);
  const torch::Tensor edges = small_graph();
  const torch::Tensor weights = segment_softmax(torch::randn({edges.size(1), 3}) * 5, edges[1], 6);
  EXPECT_TRUE(torch::allclose(scatter_sum(weights, edges[1], 6), torch::ones({6, 3}), 1e-5, 1e-5));
}

TEST(GraphOps, ScatterReductionsMatchALoop) {
  const torch::Tensor messages = torch::tensor({1.0f, 5.0f, -2.0f, 4.0f}).view({4, 1});
  const torch::Tensor index = torch::tensor({0, 0, 2, 2}, torch::kInt64);
  EXPECT_TRUE(torch::equal(scatter_sum(messages, index, 3).view({3}), torch::tensor({6.0f, 0.0f, 2.0f})));
  EXPECT_TRUE(torch::equal(scatter_mean(messages, index, 3).view({3}), torch::tensor({3.0f, 0.0f, 1.0f})));
  EXPECT_TRUE(torch::equal(scatter_max(messages, index, 3).view({3}), torch::tensor({5.0f, 0.0f, 4.0f})));
}

TEST(GraphOps, GcnCoefficientsAreTheSymmetricNormalisation) {
  // Path 0-1-2 with self-loops: degrees 2, 3, 2.
  const torch::Tensor edges =
      add_self_loops(torch::tensor({0, 1, 1, 2, 1, 0, 2, 1}, torch::kInt64).view({2, 4}), 3);
  const torch::Tensor c = gcn_coefficients(edges, 3);
  EXPECT_NEAR(c[0].item<double>(), 1 / std::sqrt(6.0), 1e-6);  // 0 -> 1
  EXPECT_NEAR(c[4].item<double>(), 0.5, 1e-6);                  // self-loop of node 0
}

struct LayerCase {
  std::string attention, aggregator, activation;
  bool concat;
  bool residual = false;
  std::int64_t in = 5;  // 4, as wide as a head, makes the residual the input itself
};

// How gtest shows a case in its output (otherwise a dump of the struct's bytes).
void PrintTo(const LayerCase& c, std::ostream* out) {
  *out << c.attention << " " << c.aggregator << " " << c.activation << (c.concat ? " concat" : " mean")
       << (c.residual ? " residual from " + std::to_string(c.in) : "");
}

class EveryLayer : public ::testing::TestWithParam<LayerCase> {};

TEST_P(EveryLayer, TrainsAndItsScriptComputesTheSame) {
  const LayerCase& c = GetParam();
  torch::manual_seed(1);
  MessagePassingOptions options;
  options.in = c.in;
  options.units = 4;
  options.heads = 2;
  options.residual = c.residual;
  options.attention = c.attention;
  options.aggregator = c.aggregator;
  options.activation = c.activation;
  options.concat = c.concat;
  MessagePassingLayer layer(options);
  EXPECT_EQ(message_passing_parameters(options), [&] {
    std::int64_t n = 0;
    for (const auto& p : layer->parameters()) n += p.numel();
    return n;
  }());
  const torch::Tensor edges = small_graph();
  const torch::Tensor x = torch::randn({6, c.in});
  layer->train();
  const torch::Tensor out = layer->forward(x, edges);
  ASSERT_EQ(out.sizes(), (std::vector<std::int64_t>{6, options.out()}));
  out.pow(2).sum().backward();
  EXPECT_GT(layer->named_parameters()["weight"].grad().abs().sum().item<double>(), 0);

  layer->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor expected = layer->forward(x, edges);
  // The same through a sparse input (how the first layer sees bag-of-words features).
  EXPECT_TRUE(torch::allclose(layer->forward(x.to_sparse(), edges), expected, 1e-5, 1e-5));
  ScriptEmitter emitter;
  torch::jit::Module script = layer->to_script(emitter);
  const torch::Tensor scripted = script.forward({x, edges}).toTensor();
  EXPECT_TRUE(torch::allclose(scripted, expected, 1e-5, 1e-5)) << (scripted - expected).abs().max();
}

std::vector<LayerCase> cases() {
  std::vector<LayerCase> result;
  // Every attention with sum, every aggregator with gat, every activation once.
  for (const auto& name : graph_attention_names()) result.push_back({name, "sum", "elu", true});
  for (const auto& name : graph_aggregator_names()) result.push_back({"gat", name, "relu", false});
  for (const auto& name : graph_activation_names()) result.push_back({"gcn", "mean", name, true});
  // GraphNAS's DGL residual: projected from a wider input, and the input itself.
  result.push_back({"gat", "sum", "elu", true, true, 5});
  result.push_back({"gat", "sum", "elu", false, true, 4});
  return result;
}

std::string case_name(const ::testing::TestParamInfo<LayerCase>& info) {
  std::string name = info.param.attention + "_" + info.param.aggregator + "_" + info.param.activation;
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name + (info.param.residual ? "_residual" : "") + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Graph, EveryLayer, ::testing::ValuesIn(cases()), case_name);

TEST(MessagePassingResidual, AddsTheInputToEveryHeadBeforeTheActivation) {
  MessagePassingOptions options;
  options.in = 4;
  options.units = 4;
  options.heads = 2;
  options.activation = "linear";
  options.concat = false;
  torch::manual_seed(3);
  MessagePassingLayer plain(options);
  options.residual = true;
  torch::manual_seed(3);  // the same weights: an identity residual adds no parameters
  MessagePassingLayer residual(options);
  plain->eval();
  residual->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::randn({6, 4});
  const torch::Tensor edges = small_graph();
  // Averaging two heads that each add x adds x.
  EXPECT_TRUE(torch::allclose(residual->forward(x, edges) - plain->forward(x, edges), x, 1e-5, 1e-5));
  EXPECT_NE(plain->homogeneity_key(), residual->homogeneity_key());
  // The identity residual costs no multiply-adds; a projected one costs as much as the layer's own.
  EXPECT_EQ(message_passing_projection_madds(options), 4 * 2 * 4);
  options.in = 5;
  EXPECT_EQ(message_passing_projection_madds(options), 2 * 5 * 2 * 4);
}

TEST(GraphAttention, LearnedCoefficientsAreNormalisedAndConstOnesAreNot) {
  torch::manual_seed(2);
  const torch::Tensor edges = small_graph();
  const torch::Tensor h = torch::randn({6, 2, 4});
  const torch::Tensor att = torch::randn({1, 2, 4});
  const torch::Tensor general = torch::randn({4});
  EXPECT_TRUE(graph_attention("gat").softmax);
  EXPECT_FALSE(graph_attention("const").softmax);
  EXPECT_FALSE(graph_attention("gcn").softmax);
  const torch::Tensor ones = graph_attention("const").coefficients(AttentionInputs{h, edges, att, att, general});
  EXPECT_TRUE(torch::equal(ones, torch::ones({edges.size(1), 2})));
  // sym-gat is symmetric: the score of (i, j) equals that of (j, i).
  const torch::Tensor sym = graph_attention("sym-gat").coefficients(AttentionInputs{h, edges, att, torch::randn({1, 2, 4}), general});
  EXPECT_TRUE(torch::allclose(sym.slice(0, 0, 7), sym.slice(0, 7, 14)));
  EXPECT_NE(testing::error_of([] { graph_attention("gatt"); }).find("did you mean 'gat'"), std::string::npos);
}

}  // namespace
}  // namespace nas
