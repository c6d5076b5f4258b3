#include "ops/graph/graph_ops.hpp"

#include <c10/util/Exception.h>

#include "ops/script_emitter.hpp"
#include "ops/training_random.hpp"

namespace nas {
namespace {

// Messages of any rank scatter along their first dimension: the index, one per row, is broadcast
// over the other dimensions.
torch::Tensor expanded_index(const torch::Tensor& index, const torch::Tensor& like) {
  std::vector<std::int64_t> shape(like.dim(), 1);
  shape[0] = index.size(0);
  return index.view(shape).expand_as(like);
}

std::vector<std::int64_t> scattered_shape(const torch::Tensor& messages, std::int64_t num_nodes) {
  std::vector<std::int64_t> shape = messages.sizes().vec();
  shape[0] = num_nodes;
  return shape;
}

// LibTorch 1.13 marks scatter_reduce as beta and says so once per process, on stderr, in the middle
// of a search's progress. The form we call (dim, index, src, "amax", include_self) is the one later
// PyTorch releases kept, so the notice tells a user nothing. c10's warning handler is per thread (in
// 1.13 set_warning_handler writes thread-local storage) and the notice comes once per process, from
// whichever thread calls first, so every call holds this filter; it passes any other warning on.
class BetaNoticeFilter : public c10::WarningHandler {
 public:
  explicit BetaNoticeFilter(c10::WarningHandler* next) : next_(next) {}
  void process(const c10::SourceLocation& location, const std::string& message, bool verbatim) override {
    if (message.find("scatter_reduce() is in beta") == std::string::npos) next_->process(location, message, verbatim);
  }

 private:
  c10::WarningHandler* next_;
};

}  // namespace

torch::Tensor add_self_loops(const torch::Tensor& edge_index, std::int64_t num_nodes) {
  const torch::Tensor loops = torch::arange(num_nodes, edge_index.options());
  return torch::cat({edge_index, torch::stack({loops, loops})}, 1);
}

torch::Tensor scatter_sum(const torch::Tensor& messages, const torch::Tensor& index, std::int64_t num_nodes) {
  return torch::zeros(scattered_shape(messages, num_nodes), messages.options()).index_add(0, index, messages);
}

torch::Tensor scatter_mean(const torch::Tensor& messages, const torch::Tensor& index, std::int64_t num_nodes) {
  const torch::Tensor counts =
      torch::zeros({num_nodes}, messages.options()).index_add(0, index, torch::ones({index.size(0)}, messages.options()));
  std::vector<std::int64_t> shape(messages.dim(), 1);
  shape[0] = num_nodes;
  return scatter_sum(messages, index, num_nodes) / counts.clamp_min(1).view(shape);
}

torch::Tensor scatter_max(const torch::Tensor& messages, const torch::Tensor& index, std::int64_t num_nodes) {
  BetaNoticeFilter filter(c10::Warning::get_warning_handler());
  c10::Warning::WarningHandlerGuard guard(&filter);
  return torch::zeros(scattered_shape(messages, num_nodes), messages.options())
      .scatter_reduce(0, expanded_index(index, messages), messages, "amax", /*include_self=*/false);
}

torch::Tensor segment_softmax(const torch::Tensor& scores, const torch::Tensor& index, std::int64_t num_nodes) {
  // Shifting by each neighbourhood's maximum keeps exp() finite; the shift cancels, so it needs no gradient.
  const torch::Tensor maxima = scatter_max(scores.detach(), index, num_nodes);
  const torch::Tensor exponentials = (scores - maxima.index_select(0, index)).exp();
  const torch::Tensor sums = scatter_sum(exponentials, index, num_nodes);
  return exponentials / (sums.index_select(0, index) + 1e-16);
}

torch::Tensor in_degree(const torch::Tensor& edges, std::int64_t num_nodes) {
  const torch::TensorOptions options = torch::TensorOptions().dtype(torch::kFloat32).device(edges.device());
  return torch::zeros({num_nodes}, options).index_add(0, edges[1], torch::ones({edges.size(1)}, options));
}

torch::Tensor gcn_coefficients(const torch::Tensor& edges, std::int64_t num_nodes) {
  const torch::Tensor inverse_root = in_degree(edges, num_nodes).clamp_min(1).rsqrt();
  return inverse_root.index_select(0, edges[0]) * inverse_root.index_select(0, edges[1]);
}

torch::Tensor sparse_dropout(const torch::Tensor& matrix, double p, bool training) {
  if (!training || p == 0) return matrix;
  const torch::Tensor coalesced = matrix.coalesce();
  return torch::sparse_coo_tensor(coalesced.indices(), training_dropout(coalesced.values(), p, true), coalesced.sizes());
}

void define_graph_functions(ScriptEmitter& emitter) {
  emitter.define_functions("graph_ops", R"(
def add_self_loops(edge_index: Tensor, num_nodes: int) -> Tensor:
    loops = torch.arange(num_nodes, dtype=edge_index.dtype, device=edge_index.device)
    return torch.cat([edge_index, torch.stack([loops, loops])], 1)

def scattered_shape(messages: Tensor, num_nodes: int) -> List[int]:
    shape = messages.size()
    shape[0] = num_nodes
    return shape

def expanded_index(index: Tensor, like: Tensor) -> Tensor:
    shape = [1 for _ in range(like.dim())]
    shape[0] = index.size(0)
    return index.view(shape).expand_as(like)

def scatter_sum(messages: Tensor, index: Tensor, num_nodes: int) -> Tensor:
    zeros = torch.zeros(scattered_shape(messages, num_nodes), dtype=messages.dtype, device=messages.device)
    return zeros.index_add(0, index, messages)

def scatter_mean(messages: Tensor, index: Tensor, num_nodes: int) -> Tensor:
    ones = torch.ones([index.size(0)], dtype=messages.dtype, device=messages.device)
    counts = torch.zeros([num_nodes], dtype=messages.dtype, device=messages.device).index_add(0, index, ones)
    shape = [1 for _ in range(messages.dim())]
    shape[0] = num_nodes
    return scatter_sum(messages, index, num_nodes) / counts.clamp_min(1.0).view(shape)

def scatter_max(messages: Tensor, index: Tensor, num_nodes: int) -> Tensor:
    zeros = torch.zeros(scattered_shape(messages, num_nodes), dtype=messages.dtype, device=messages.device)
    return zeros.scatter_reduce(0, expanded_index(index, messages), messages, "amax", include_self=False)

def segment_softmax(scores: Tensor, index: Tensor, num_nodes: int) -> Tensor:
    maxima = scatter_max(scores.detach(), index, num_nodes)
    exponentials = (scores - maxima.index_select(0, index)).exp()
    sums = scatter_sum(exponentials, index, num_nodes)
    return exponentials / (sums.index_select(0, index) + 1e-16)

def gcn_coefficients(edges: Tensor, num_nodes: int) -> Tensor:
    target = edges[1]
    ones = torch.ones([target.size(0)], device=edges.device)
    degree = torch.zeros([num_nodes], device=edges.device).index_add(0, target, ones)
    inverse_root = degree.clamp_min(1.0).rsqrt()
    return inverse_root.index_select(0, edges[0]) * inverse_root.index_select(0, target)
)");
}

}  // namespace nas
