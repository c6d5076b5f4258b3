#include "ops/graph/graph_attention.hpp"

#include "ops/graph/named_table.hpp"
#include "ops/graph/graph_ops.hpp"
#include "ops/script_emitter.hpp"

namespace nas {
namespace {

// GAT's negative slope for the attention scores.
constexpr double kGatSlope = 0.2;

torch::Tensor source_rows(const torch::Tensor& values, const torch::Tensor& edges) {
  return values.index_select(0, edges[0]);
}
torch::Tensor target_rows(const torch::Tensor& values, const torch::Tensor& edges) {
  return values.index_select(0, edges[1]);
}

// a_l . h_i + a_r . h_j, computed per node first (cheaper than per edge).
torch::Tensor gat_scores(const torch::Tensor& left, const torch::Tensor& right, const torch::Tensor& edges) {
  return torch::leaky_relu(target_rows(left, edges) + source_rows(right, edges), kGatSlope);
}

std::vector<GraphAttention> make_table() {
  std::vector<GraphAttention> table;
  table.push_back({"const", false, false, false,
                   [](const AttentionInputs& in) {
                     return torch::ones({in.edges.size(1), in.h.size(1)}, in.h.options());
                   },
                   "attention_const(h, edges)"});
  table.push_back({"gcn", false, false, false,
                   [](const AttentionInputs& in) {
                     return gcn_coefficients(in.edges, in.h.size(0)).unsqueeze(1).expand({in.edges.size(1), in.h.size(1)});
                   },
                   "attention_gcn(h, edges)"});
  table.push_back({"gat", true, false, true,
                   [](const AttentionInputs& in) {
                     return gat_scores((in.h * in.att_l).sum(-1), (in.h * in.att_r).sum(-1), in.edges);
                   },
                   "attention_gat(h, edges, self.att_l, self.att_r)"});
  // gat(i, j) + gat(j, i): the score of an edge and of its reverse.
  table.push_back({"sym-gat", true, false, true,
                   [](const AttentionInputs& in) {
                     const torch::Tensor left = (in.h * in.att_l).sum(-1);
                     const torch::Tensor right = (in.h * in.att_r).sum(-1);
                     return gat_scores(left, right, in.edges) + gat_scores(left, right, in.edges.flip(0));
                   },
                   "attention_sym_gat(h, edges, self.att_l, self.att_r)"});
  table.push_back({"cos", true, false, true,
                   [](const AttentionInputs& in) {
                     return (target_rows(in.h * in.att_l, in.edges) * source_rows(in.h * in.att_r, in.edges)).sum(-1);
                   },
                   "attention_cos(h, edges, self.att_l, self.att_r)"});
  // tanh(sum((a_l + a_r) * h_j)) depends on the source alone, so it is computed per node.
  table.push_back({"linear", true, false, true,
                   [](const AttentionInputs& in) {
                     return source_rows(torch::tanh((in.h * (in.att_l + in.att_r)).sum(-1)), in.edges);
                   },
                   "attention_linear(h, edges, self.att_l, self.att_r)"});
  table.push_back({"generalized-linear", true, true, true,
                   [](const AttentionInputs& in) {
                     const torch::Tensor mixed =
                         torch::tanh(target_rows(in.h * in.att_l, in.edges) + source_rows(in.h * in.att_r, in.edges));
                     return torch::matmul(mixed, in.general);
                   },
                   "attention_generalized_linear(h, edges, self.att_l, self.att_r, self.general)"});
  return table;
}

}  // namespace

const std::vector<GraphAttention>& graph_attentions() {
  static const std::vector<GraphAttention> table = make_table();
  return table;
}

std::vector<std::string> graph_attention_names() { return table_names(graph_attentions()); }

const GraphAttention& graph_attention(const std::string& name) { return table_entry(graph_attentions(), name, "attention function"); }

void define_attention_functions(ScriptEmitter& emitter) {
  define_graph_functions(emitter);
  emitter.define_functions("graph_attention", R"(
def attention_const(h: Tensor, edges: Tensor) -> Tensor:
    return torch.ones([edges.size(1), h.size(1)], dtype=h.dtype, device=h.device)

def attention_gcn(h: Tensor, edges: Tensor) -> Tensor:
    return gcn_coefficients(edges, h.size(0)).unsqueeze(1).expand(edges.size(1), h.size(1))

def gat_scores(left: Tensor, right: Tensor, edges: Tensor) -> Tensor:
    return torch.leaky_relu(left.index_select(0, edges[1]) + right.index_select(0, edges[0]), 0.2)

def attention_gat(h: Tensor, edges: Tensor, att_l: Tensor, att_r: Tensor) -> Tensor:
    return gat_scores((h * att_l).sum(-1), (h * att_r).sum(-1), edges)

def attention_sym_gat(h: Tensor, edges: Tensor, att_l: Tensor, att_r: Tensor) -> Tensor:
    left = (h * att_l).sum(-1)
    right = (h * att_r).sum(-1)
    return gat_scores(left, right, edges) + gat_scores(left, right, edges.flip(0))

def attention_cos(h: Tensor, edges: Tensor, att_l: Tensor, att_r: Tensor) -> Tensor:
    return ((h * att_l).index_select(0, edges[1]) * (h * att_r).index_select(0, edges[0])).sum(-1)

def attention_linear(h: Tensor, edges: Tensor, att_l: Tensor, att_r: Tensor) -> Tensor:
    return torch.tanh((h * (att_l + att_r)).sum(-1)).index_select(0, edges[0])

def attention_generalized_linear(h: Tensor, edges: Tensor, att_l: Tensor, att_r: Tensor, general: Tensor) -> Tensor:
    mixed = torch.tanh((h * att_l).index_select(0, edges[1]) + (h * att_r).index_select(0, edges[0]))
    return torch.matmul(mixed, general)
)");
}

}  // namespace nas
