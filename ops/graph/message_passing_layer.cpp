#include "ops/graph/message_passing_layer.hpp"

#include "ops/graph/graph_activation.hpp"
#include "ops/graph/graph_aggregator.hpp"
#include "ops/graph/graph_attention.hpp"
#include "ops/graph/graph_kernels.hpp"
#include "ops/graph/graph_ops.hpp"
#include "ops/script_emitter.hpp"
#include "ops/script_layers.hpp"
#include "ops/training_random.hpp"

namespace nas {
namespace {

// Glorot-uniform, as GAT and GraphNAS initialise the projection and the attention vectors, over the
// fan-in and fan-out of `tensor` read as a [fan_out, fan_in] matrix (the last dimension is fan-in).
torch::Tensor glorot(torch::Tensor tensor, std::int64_t fan_in, std::int64_t fan_out) {
  const double bound = std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
  torch::NoGradGuard no_grad;
  tensor.uniform_(-bound, bound);
  return tensor;
}

// GraphNAS's DGL layer adds the input itself when it is as wide as one head, a projection otherwise.
bool projects_residual(const MessagePassingOptions& options) { return options.residual && options.in != options.units; }

}  // namespace

std::int64_t message_passing_parameters(const MessagePassingOptions& options) {
  const GraphAttention& attention = graph_attention(options.attention);
  const std::int64_t projected = options.heads * options.units;
  std::int64_t count = options.in * projected + options.out();
  if (projects_residual(options)) count += options.in * projected;
  if (attention.learned) count += 2 * projected;
  if (attention.general) count += options.units;
  if (graph_aggregator(options.aggregator).mlp)
    count += 2 * kAggregatorMlpUnits * options.units + kAggregatorMlpUnits + options.units;
  return count;
}

std::int64_t message_passing_projection_madds(const MessagePassingOptions& options) {
  const std::int64_t projection = options.in * options.heads * options.units;
  return projects_residual(options) ? 2 * projection : projection;
}

MessagePassingLayerImpl::MessagePassingLayerImpl(const MessagePassingOptions& options)
    : options_(options),
      attention_(graph_attention(options.attention)),
      aggregator_(graph_aggregator(options.aggregator)),
      activation_(graph_activation(options.activation)) {
  const std::int64_t projected = options.heads * options.units;
  weight_ = register_parameter("weight", glorot(torch::empty({projected, options.in}), options.in, projected));
  if (attention_.learned) {
    att_l_ = register_parameter("att_l", glorot(torch::empty({1, options.heads, options.units}), options.units, options.heads));
    att_r_ = register_parameter("att_r", glorot(torch::empty({1, options.heads, options.units}), options.units, options.heads));
  }
  if (attention_.general)
    general_ = register_parameter("general", glorot(torch::empty({options.units}), options.units, 1));
  if (aggregator_.mlp) {
    mlp_in_ = register_module("mlp_in", torch::nn::Linear(options.units, kAggregatorMlpUnits));
    mlp_out_ = register_module("mlp_out", torch::nn::Linear(kAggregatorMlpUnits, options.units));
  }
  if (projects_residual(options))
    residual_weight_ = register_parameter("residual_weight", glorot(torch::empty({projected, options.in}), options.in, projected));
  bias_ = register_parameter("bias", torch::zeros({options.out()}));
}

torch::Tensor MessagePassingLayerImpl::forward(const torch::Tensor& input, const torch::Tensor& edges) {
  const std::int64_t nodes = input.size(0);
  const bool training = is_training();
  const torch::Tensor x =
      input.is_sparse() ? sparse_dropout(input, options_.dropout, training) : training_dropout(input, options_.dropout, training);
  const torch::Tensor projected = x.is_sparse() ? sparse_projection(x, weight_) : torch::linear(x, weight_);
  const torch::Tensor h = projected.view({nodes, options_.heads, options_.units});
  torch::Tensor coefficients = attention_.coefficients(AttentionInputs{h, edges, att_l_, att_r_, general_});
  if (attention_.softmax) coefficients = segment_softmax(coefficients, edges[1], nodes);
  coefficients = training_dropout(coefficients, options_.dropout, training);
  torch::Tensor aggregated;
  if (aggregator_.mlp) {
    // The MLP is affine, so MLP(c h_j) = c (MLP(h_j) - MLP(0)) + MLP(0): it runs once per node
    // instead of once per edge (about 5 times fewer rows on Cora), with the same result.
    const torch::Tensor offset = mlp_out_->forward(mlp_in_->forward(torch::zeros({1, 1, options_.units}, h.options())));
    aggregated = aggregator_.weighted(mlp_out_->forward(mlp_in_->forward(h)) - offset, coefficients, edges, offset);
  } else {
    aggregated = aggregator_.weighted(h, coefficients, edges, torch::Tensor());
  }
  if (options_.residual) {
    // From the dropped-out input, as in GraphNAS (its residual reads the prepared, dropped features).
    if (residual_weight_.defined()) {
      const torch::Tensor skip = x.is_sparse() ? sparse_projection(x, residual_weight_) : torch::linear(x, residual_weight_);
      aggregated = aggregated + skip.view({nodes, options_.heads, options_.units});
    } else {
      aggregated = aggregated + (x.is_sparse() ? x.to_dense() : x).unsqueeze(1);
    }
  }
  const torch::Tensor combined = options_.concat ? aggregated.reshape({nodes, options_.out()}) : aggregated.mean(1);
  return activation_.apply(combined + bias_);
}

std::string MessagePassingLayerImpl::homogeneity_key() const {
  return "in=" + std::to_string(options_.in) + " heads=" + std::to_string(options_.heads) +
         " units=" + std::to_string(options_.units) + (options_.concat ? " concat" : " mean") +
         " attention=" + options_.attention + " activation=" + options_.activation +
         (aggregator_.mlp ? " mlp" : "") + (options_.residual ? " residual" : "");
}

torch::jit::Module MessagePassingLayerImpl::to_script(ScriptEmitter& emitter) const {
  define_attention_functions(emitter);
  torch::jit::Module module = emitter.make_module("MessagePassingLayer");
  ScriptEmitter::copy_tensors(*this, module);
  std::string source = "def forward(self, x: Tensor, edges: Tensor) -> Tensor:\n";
  source += "    n = x.size(0)\n";
  source += "    h = torch.linear(x, self.weight).view([n, " + std::to_string(options_.heads) + ", " +
            std::to_string(options_.units) + "])\n";
  source += "    coefficients = " + attention_.script_call + "\n";
  if (attention_.softmax) source += "    coefficients = segment_softmax(coefficients, edges[1], n)\n";
  if (aggregator_.mlp) {
    module.register_module("mlp_in", script_linear(emitter, *mlp_in_));
    module.register_module("mlp_out", script_linear(emitter, *mlp_out_));
    source += "    offset = self.mlp_out.forward(self.mlp_in.forward(torch.zeros([1, 1, " + std::to_string(options_.units) +
              "], dtype=h.dtype, device=h.device)))\n";
    source += "    mapped = self.mlp_out.forward(self.mlp_in.forward(h)) - offset\n";
    source += "    messages = mapped.index_select(0, edges[0]) * coefficients.unsqueeze(-1) + offset\n";
  } else {
    source += "    messages = h.index_select(0, edges[0]) * coefficients.unsqueeze(-1)\n";
  }
  source += "    aggregated = " + aggregator_.script_reduce + "(messages, edges[1], n)\n";
  if (residual_weight_.defined())
    source += "    aggregated = aggregated + torch.linear(x, self.residual_weight).view([n, " + std::to_string(options_.heads) +
              ", " + std::to_string(options_.units) + "])\n";
  else if (options_.residual)
    source += "    aggregated = aggregated + x.unsqueeze(1)\n";
  source += options_.concat ? "    combined = aggregated.reshape([n, " + std::to_string(options_.out()) + "])\n"
                            : std::string("    combined = aggregated.mean(1)\n");
  source += "    return " + script_activation(activation_, "combined + self.bias") + "\n";
  emitter.define(module, source);
  return module;
}

}  // namespace nas
