#include "ops/graph/graph_kernels.hpp"

#include <limits>

#include "core/error.hpp"

namespace nas {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// y += scale * x over `width` floats; the compiler vectorises it.
inline void add_scaled(float* y, const float* x, float scale, std::int64_t width) {
  for (std::int64_t k = 0; k < width; ++k) y[k] += scale * x[k];
}

// Eight partial sums, so that the compiler may vectorise without reassociating one sum.
inline float dot(const float* a, const float* b, std::int64_t width) {
  float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::int64_t k = 0;
  for (; k + 8 <= width; k += 8)
    for (int lane = 0; lane < 8; ++lane) partial[lane] += a[k + lane] * b[k + lane];
  float sum = 0;
  for (; k < width; ++k) sum += a[k] * b[k];
  for (float value : partial) sum += value;
  return sum;
}

void require_float_cpu(const torch::Tensor& tensor, const char* what) {
  if (tensor.scalar_type() != torch::kFloat32 || !tensor.device().is_cpu())
    throw Error(what, "the fused graph kernels take float32 CPU tensors, got " + std::string(c10::toString(tensor.scalar_type())) +
                          " on " + tensor.device().str());
}

// The shapes the neighbour kernels read: values [N, H, U], coefficients [E, H], edges [2, E].
struct NeighbourShape {
  std::int64_t nodes, heads, units, edges;
};

NeighbourShape neighbour_shape(const torch::Tensor& values, const torch::Tensor& coefficients, const torch::Tensor& edges) {
  require_float_cpu(values, "message values");
  require_float_cpu(coefficients, "attention coefficients");
  if (values.dim() != 3 || coefficients.dim() != 2 || edges.dim() != 2 || edges.size(0) != 2 ||
      coefficients.size(0) != edges.size(1) || coefficients.size(1) != values.size(1) || edges.scalar_type() != torch::kInt64)
    throw Error("message passing", "expected values [N, H, U], coefficients [E, H] and int64 edges [2, E], got " +
                                       c10::str(values.sizes()) + ", " + c10::str(coefficients.sizes()) + " and " +
                                       c10::str(edges.sizes()));
  return {values.size(0), values.size(1), values.size(2), edges.size(1)};
}

struct SparseProjection : public torch::autograd::Function<SparseProjection> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& indices, const torch::Tensor& values,
                               const torch::Tensor& weight, std::int64_t rows) {
    const torch::Tensor row_of = indices[0].contiguous(), column_of = indices[1].contiguous();
    const torch::Tensor stored = values.contiguous();
    // One row per input feature, so that each stored value adds one contiguous row.
    const torch::Tensor by_feature = weight.t().contiguous();
    const std::int64_t width = by_feature.size(1);
    torch::Tensor out = torch::zeros({rows, width}, weight.options());
    const std::int64_t* row = row_of.data_ptr<std::int64_t>();
    const std::int64_t* column = column_of.data_ptr<std::int64_t>();
    const float* value = stored.data_ptr<float>();
    const float* w = by_feature.data_ptr<float>();
    float* y = out.data_ptr<float>();
    for (std::int64_t k = 0; k < stored.size(0); ++k) add_scaled(y + row[k] * width, w + column[k] * width, value[k], width);
    ctx->save_for_backward({row_of, column_of, stored});
    ctx->saved_data["inputs"] = weight.size(1);
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor gradient = grads[0].contiguous();
    const std::int64_t width = gradient.size(1);
    torch::Tensor by_feature = torch::zeros({ctx->saved_data["inputs"].toInt(), width}, gradient.options());
    const std::int64_t* row = saved[0].data_ptr<std::int64_t>();
    const std::int64_t* column = saved[1].data_ptr<std::int64_t>();
    const float* value = saved[2].data_ptr<float>();
    const float* g = gradient.data_ptr<float>();
    float* out = by_feature.data_ptr<float>();
    for (std::int64_t k = 0; k < saved[2].size(0); ++k) add_scaled(out + column[k] * width, g + row[k] * width, value[k], width);
    return {torch::Tensor(), torch::Tensor(), by_feature.t().contiguous(), torch::Tensor()};
  }
};

struct NeighbourWeightedSum : public torch::autograd::Function<NeighbourWeightedSum> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& values_in, const torch::Tensor& coefficients_in,
                               const torch::Tensor& edges_in) {
    const NeighbourShape shape = neighbour_shape(values_in, coefficients_in, edges_in);
    const torch::Tensor values = values_in.contiguous(), coefficients = coefficients_in.contiguous(), edges = edges_in.contiguous();
    torch::Tensor out = torch::zeros({shape.nodes, shape.heads, shape.units}, values.options());
    const std::int64_t* source = edges.data_ptr<std::int64_t>();
    const std::int64_t* target = source + shape.edges;
    const float* v = values.data_ptr<float>();
    const float* c = coefficients.data_ptr<float>();
    float* y = out.data_ptr<float>();
    const std::int64_t row = shape.heads * shape.units;
    for (std::int64_t e = 0; e < shape.edges; ++e)
      for (std::int64_t h = 0; h < shape.heads; ++h)
        add_scaled(y + target[e] * row + h * shape.units, v + source[e] * row + h * shape.units, c[e * shape.heads + h], shape.units);
    ctx->save_for_backward({values, coefficients, edges});
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor &values = saved[0], &coefficients = saved[1], &edges = saved[2];
    const NeighbourShape shape = neighbour_shape(values, coefficients, edges);
    const torch::Tensor gradient = grads[0].contiguous();
    const bool want_values = ctx->needs_input_grad(0), want_coefficients = ctx->needs_input_grad(1);
    torch::Tensor grad_values = want_values ? torch::zeros_like(values) : torch::Tensor();
    torch::Tensor grad_coefficients = want_coefficients ? torch::zeros_like(coefficients) : torch::Tensor();
    const std::int64_t* source = edges.data_ptr<std::int64_t>();
    const std::int64_t* target = source + shape.edges;
    const float* v = values.data_ptr<float>();
    const float* c = coefficients.data_ptr<float>();
    const float* g = gradient.data_ptr<float>();
    float* gv = want_values ? grad_values.data_ptr<float>() : nullptr;
    float* gc = want_coefficients ? grad_coefficients.data_ptr<float>() : nullptr;
    const std::int64_t row = shape.heads * shape.units;
    for (std::int64_t e = 0; e < shape.edges; ++e)
      for (std::int64_t h = 0; h < shape.heads; ++h) {
        const float* g_target = g + target[e] * row + h * shape.units;
        const std::int64_t source_offset = source[e] * row + h * shape.units;
        if (gv) add_scaled(gv + source_offset, g_target, c[e * shape.heads + h], shape.units);
        if (gc) gc[e * shape.heads + h] = dot(g_target, v + source_offset, shape.units);
      }
    return {grad_values, grad_coefficients, torch::Tensor()};
  }
};

struct NeighbourWeightedMax : public torch::autograd::Function<NeighbourWeightedMax> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& values_in, const torch::Tensor& coefficients_in,
                               const torch::Tensor& edges_in) {
    const NeighbourShape shape = neighbour_shape(values_in, coefficients_in, edges_in);
    const torch::Tensor values = values_in.contiguous(), coefficients = coefficients_in.contiguous(), edges = edges_in.contiguous();
    torch::Tensor out = torch::full({shape.nodes, shape.heads, shape.units}, -std::numeric_limits<float>::infinity(), values.options());
    // The edge that attains each maximum (-1 for none), for the backward pass.
    torch::Tensor winner = torch::full({shape.nodes, shape.heads, shape.units}, -1, torch::kInt32);
    const std::int64_t* source = edges.data_ptr<std::int64_t>();
    const std::int64_t* target = source + shape.edges;
    const float* v = values.data_ptr<float>();
    const float* c = coefficients.data_ptr<float>();
    float* y = out.data_ptr<float>();
    std::int32_t* w = winner.data_ptr<std::int32_t>();
    const std::int64_t row = shape.heads * shape.units;
    for (std::int64_t e = 0; e < shape.edges; ++e)
      for (std::int64_t h = 0; h < shape.heads; ++h) {
        const float scale = c[e * shape.heads + h];
        const float* message = v + source[e] * row + h * shape.units;
        const std::int64_t offset = target[e] * row + h * shape.units;
        for (std::int64_t u = 0; u < shape.units; ++u) {
          const float candidate = scale * message[u];
          if (candidate > y[offset + u] || w[offset + u] < 0) {
            y[offset + u] = candidate;
            w[offset + u] = static_cast<std::int32_t>(e);
          }
        }
      }
    for (std::int64_t k = 0; k < out.numel(); ++k)
      if (w[k] < 0) y[k] = 0;
    ctx->save_for_backward({values, coefficients, edges});
    ctx->saved_data["winner"] = winner;
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor &values = saved[0], &coefficients = saved[1], &edges = saved[2];
    const NeighbourShape shape = neighbour_shape(values, coefficients, edges);
    const torch::Tensor winner = ctx->saved_data["winner"].toTensor();
    const torch::Tensor gradient = grads[0].contiguous();
    const bool want_values = ctx->needs_input_grad(0), want_coefficients = ctx->needs_input_grad(1);
    torch::Tensor grad_values = want_values ? torch::zeros_like(values) : torch::Tensor();
    torch::Tensor grad_coefficients = want_coefficients ? torch::zeros_like(coefficients) : torch::Tensor();
    const std::int64_t* source = edges.data_ptr<std::int64_t>();
    const float* v = values.data_ptr<float>();
    const float* c = coefficients.data_ptr<float>();
    const float* g = gradient.data_ptr<float>();
    const std::int32_t* w = winner.data_ptr<std::int32_t>();
    float* gv = want_values ? grad_values.data_ptr<float>() : nullptr;
    float* gc = want_coefficients ? grad_coefficients.data_ptr<float>() : nullptr;
    const std::int64_t row = shape.heads * shape.units;
    for (std::int64_t node = 0; node < shape.nodes; ++node)
      for (std::int64_t h = 0; h < shape.heads; ++h)
        for (std::int64_t u = 0; u < shape.units; ++u) {
          const std::int64_t k = node * row + h * shape.units + u;
          const std::int64_t e = w[k];
          if (e < 0) continue;
          const std::int64_t from = source[e] * row + h * shape.units + u;
          if (gv) gv[from] += c[e * shape.heads + h] * g[k];
          if (gc) gc[e * shape.heads + h] += v[from] * g[k];
        }
    return {grad_values, grad_coefficients, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor sparse_projection(const torch::Tensor& x, const torch::Tensor& weight) {
  require_float_cpu(weight, "projection weight");
  require_float_cpu(x, "sparse features");
  if (!x.is_sparse() || x.dim() != 2 || weight.dim() != 2 || x.size(1) != weight.size(1))
    throw Error("sparse projection", "expected sparse features [N, in] and a weight [out, in], got " + c10::str(x.sizes()) +
                                         " and " + c10::str(weight.sizes()));
  // _indices/_values: the stored entries as they are; duplicates (an uncoalesced matrix) simply add.
  return SparseProjection::apply(x._indices(), x._values(), weight, x.size(0));
}

torch::Tensor neighbour_weighted_sum(const torch::Tensor& values, const torch::Tensor& coefficients, const torch::Tensor& edges) {
  return NeighbourWeightedSum::apply(values, coefficients, edges);
}

torch::Tensor neighbour_weighted_max(const torch::Tensor& values, const torch::Tensor& coefficients, const torch::Tensor& edges) {
  return NeighbourWeightedMax::apply(values, coefficients, edges);
}

}  // namespace nas
