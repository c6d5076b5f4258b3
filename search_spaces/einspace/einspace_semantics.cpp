#include "search_spaces/einspace/einspace_semantics.hpp"

namespace nas {
namespace {

// Shapes and counts stay far below this, so products of two of them cannot overflow.
constexpr std::int64_t kHuge = std::int64_t{1} << 40;

std::optional<EinResult> shape_of(const EinTerminal& t, const EinContext& x, bool drawing) {
  const EinShape& in = x.input;
  EinResult r;
  r.output = in;
  switch (t.op) {
    case EinOp::identity:
      return r;
    case EinOp::clone:
      r.branches = t.branches;
      return r;
    case EinOp::group:
      if (t.dim > in.rank || in.dims[t.dim - 1] % t.branches != 0) return std::nullopt;
      r.output.dims[t.dim - 1] /= t.branches;
      r.branches = t.branches;
      return r;
    case EinOp::matmul: {
      // Two operands only; batched a @ b over the leading axes.
      const EinShape& b = x.other;
      if (x.branches != 2 || b.rank != in.rank) return std::nullopt;
      if (in.is_image()) {
        if (in.dims[0] != b.dims[0] || in.dims[2] != b.dims[1]) return std::nullopt;
        r.output = EinShape::image(in.dims[0], in.dims[1], b.dims[2]);
      } else {
        if (in.dims[1] != b.dims[0]) return std::nullopt;
        r.output = EinShape::tokens(in.dims[0], b.dims[1]);
      }
      return r;
    }
    case EinOp::add:
      if (x.other != in) return std::nullopt;
      return r;
    case EinOp::concat: {
      if (t.branches != x.branches || t.dim > in.rank || x.other.rank != in.rank) return std::nullopt;
      for (int i = 0; i < in.rank; ++i)
        if (i != t.dim - 1 && in.dims[i] != x.other.dims[i]) return std::nullopt;
      // b > 2 joins b copies of one module's output; b = 2 joins two modules' outputs.
      r.output.dims[t.dim - 1] = t.branches == 2 ? in.dims[t.dim - 1] + x.other.dims[t.dim - 1]
                                                 : in.dims[t.dim - 1] * t.branches;
      return r;
    }
    case EinOp::permute: {
      const int rank = t.order[2] == 0 ? 2 : 3;
      if (rank != in.rank) return std::nullopt;
      for (int i = 0; i < rank; ++i) r.output.dims[i] = in.dims[t.order[i] - 1];
      return r;
    }
    case EinOp::im2col: {
      if (!in.is_image()) return std::nullopt;
      if (drawing && (t.kernel > in.dims[1] || t.kernel > in.dims[2])) return std::nullopt;
      // Always: the padded image must hold one window (a negative size would truncate to 0 below).
      if (in.dims[1] + 2 * t.padding < t.kernel || in.dims[2] + 2 * t.padding < t.kernel) return std::nullopt;
      const std::int64_t h = (in.dims[1] + 2 * t.padding - t.kernel) / t.stride + 1;
      const std::int64_t w = (in.dims[2] + 2 * t.padding - t.kernel) / t.stride + 1;
      r.output = EinShape::tokens(h * w, in.dims[0] * t.kernel * t.kernel);
      r.fold_h = h;
      r.fold_w = w;
      return r;
    }
    case EinOp::col2im: {
      const std::int64_t grid = x.fold_h * x.fold_w;
      if (in.is_image() || grid == 0 || in.elements() % grid != 0) return std::nullopt;
      r.output = EinShape::image(in.elements() / grid, x.fold_h, x.fold_w);
      return r;
    }
    case EinOp::linear: {
      const std::int64_t width = t.width > 0 ? t.width : in.last() * t.width_num / t.width_den;
      r.output.dims[in.rank - 1] = width;
      r.params = in.last() * width + width;
      return r;
    }
    case EinOp::norm:
      // BatchNorm2d over C in Im mode, LayerNorm over D in Col mode: a weight and a bias each.
      r.params = 2 * (in.is_image() ? in.dims[0] : in.dims[1]);
      return r;
    case EinOp::leaky_relu:
    case EinOp::softmax:
      return r;
    case EinOp::pos_enc:
      r.params = in.elements();
      return r;
  }
  return std::nullopt;
}

}  // namespace

std::optional<EinResult> einspace_terminal_result(const EinTerminal& terminal, const EinContext& context,
                                                  const EinspaceOptions& options, bool drawing) {
  if (!context.input.is_set()) return std::nullopt;
  auto result = shape_of(terminal, context, drawing);
  if (!result) return std::nullopt;
  const EinShape& out = result->output;
  for (int i = 0; i < out.rank; ++i)
    if (out.dims[i] <= 0 || out.dims[i] > kHuge) return std::nullopt;
  if (out.elements() > options.max_feature_elements || result->params > options.max_params) return std::nullopt;
  return result;
}

std::size_t EinSemantics::FilterKeyHash::operator()(const FilterKey& key) const {
  std::uint64_t hash = 0x9e3779b97f4a7c15ULL;
  for (std::int64_t value : key) hash = (hash ^ static_cast<std::uint64_t>(value)) * 0x100000001b3ULL;
  return static_cast<std::size_t>(hash ^ (hash >> 29));
}

EinSemantics::FilterKey EinSemantics::filter_key(int symbol, const EinContext& context, bool drawing) {
  FilterKey key{};
  key[0] = symbol * 2 + (drawing ? 1 : 0);
  key[1] = context.input.rank * 8 + context.other.rank;
  for (int i = 0; i < 3; ++i) {
    key[2 + i] = i < context.input.rank ? context.input.dims[i] : 0;
    key[5 + i] = i < context.other.rank ? context.other.dims[i] : 0;
  }
  key[8] = context.branches;
  key[9] = context.fold_h;
  key[10] = context.fold_w;
  return key;
}

std::uint32_t EinSemantics::surviving(int symbol, const EinContext& context, bool drawing) const {
  // Contexts are bounded by the shapes the caps allow, but a long search could still meet many:
  // the memo starts again past this size rather than grow without bound.
  constexpr std::size_t kMaxRemembered = 1 << 16;
  const FilterKey key = filter_key(symbol, context, drawing);
  {
    const std::lock_guard<std::mutex> lock(filter_mutex_);
    const auto found = filter_memo_.find(key);
    if (found != filter_memo_.end()) return found->second;
  }
  const std::size_t productions = grammar_.grammar().productions(symbol).size();
  std::uint32_t mask = 0;
  for (std::size_t p = 0; p < productions; ++p)
    if (einspace_terminal_result(*grammar_.terminal(symbol, static_cast<int>(p)), context, options_, drawing))
      mask |= std::uint32_t{1} << p;
  const std::lock_guard<std::mutex> lock(filter_mutex_);
  if (filter_memo_.size() >= kMaxRemembered) filter_memo_.clear();
  filter_memo_.emplace(key, mask);
  return mask;
}

void EinSemantics::filter(int symbol, const EinContext& context, int, bool drawing, std::vector<char>& allowed) const {
  const EinSymbols& y = grammar_.symbols();
  if (symbol == y.s || symbol == y.m) return;
  // Every terminal option that cannot apply is removed before the draw, so a draw is uniform over
  // those that can (the code's filters plus its instantiation failures, which it backtracks over).
  const std::uint32_t mask = surviving(symbol, context, drawing);
  for (std::size_t p = 0; p < allowed.size(); ++p)
    if (!(mask >> p & 1u)) allowed[p] = 0;
}

std::size_t EinSemantics::instances(const EinNode& node, std::size_t rhs) const {
  // b = 2: two modules sampled on their own; b = 4 or 8: one, copied b times (with separate weights).
  const EinSymbols& y = grammar_.symbols();
  if ((node.symbol == y.s || node.symbol == y.m) && node.production == kBranching && rhs == 1)
    return node.children[0]->result.branches == 2 ? 2 : 1;
  return 1;
}

EinContext EinSemantics::child_context(const EinNode& node, std::size_t rhs) const {
  // Every module's first child reads the module's input and every later one the previous child's
  // output; the third child of a branching (A) or routing (R) module also needs what it joins or undoes.
  EinContext context;
  const auto& kids = node.children;
  context.input = rhs == 0 ? node.context.input : kids[rhs == 2 ? kids.size() - 1 : 0]->result.output;
  if (rhs == 2 && node.production == kBranching) {
    context.input = kids[1]->result.output;
    context.other = kids.back()->result.output;  // the second module, or the same one copied
    context.branches = kids[0]->result.branches;
  } else if (rhs == 2 && node.production == kRouting) {
    context.fold_h = kids[0]->result.fold_h;
    context.fold_w = kids[0]->result.fold_w;
  }
  return context;
}

bool EinSemantics::synthesize(EinNode& node) const {
  const EinSymbols& y = grammar_.symbols();
  if (node.symbol != y.s && node.symbol != y.m) {
    // Synthesis checks validity only; the drawing rules were applied when the option was offered.
    auto result = einspace_terminal_result(*grammar_.terminal(node.symbol, node.production), node.context, options_, false);
    if (!result) return false;
    node.result = *result;
    node.result.operations = 1;
    return true;
  }
  EinResult result;
  result.output = node.children.back()->result.output;
  for (const auto& child : node.children) {
    result.params += child->result.params;
    result.operations += child->result.operations;
  }
  if (node.production == kBranching && node.children.size() == 3) {  // one module for b > 2 branches
    result.params += (node.children[0]->result.branches - 1) * node.children[1]->result.params;
    result.operations += (node.children[0]->result.branches - 1) * node.children[1]->result.operations;
  }
  if (result.params > options_.max_params || result.operations > options_.max_operations) return false;
  node.result = result;
  return true;
}

}  // namespace nas
