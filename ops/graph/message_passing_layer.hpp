#pragma once
// One message-passing layer of GraphNAS's macro space: dropout on the input, a shared projection per
// head, attention coefficients per edge (softmax-normalised per neighbourhood for the learned
// functions, with dropout on them), an aggregator, heads concatenated (hidden layers) or averaged
// (the last layer), a bias, then the activation. With `residual`, each head also adds a projection of
// the layer's input (the input itself when it is as wide as a head), as GraphNAS's DGL layers do.
#include <torch/torch.h>

#include <string>

namespace nas {

class ScriptEmitter;
struct GraphAttention;
struct GraphAggregator;
struct GraphActivation;

struct MessagePassingOptions {
  std::int64_t in = 0;
  std::int64_t units = 0;  // per head
  std::int64_t heads = 1;
  std::string attention = "gat";
  std::string aggregator = "sum";
  std::string activation = "linear";
  bool concat = true;    // heads concatenated (out = heads * units) or averaged (out = units)
  double dropout = 0.6;  // of the input features and of the attention coefficients, in training
  bool residual = false;  // each head adds W_res x (or x when in == units) to its aggregate

  std::int64_t out() const { return concat ? heads * units : units; }
};

// The number of trainable values of a layer with `options`, without building it (describe()).
std::int64_t message_passing_parameters(const MessagePassingOptions& options);
// Multiply-adds per node of the layer's projections (the input's, and the residual's where it has one);
// the messages' cost depends on the degree and is left out.
std::int64_t message_passing_projection_madds(const MessagePassingOptions& options);

class MessagePassingLayerImpl : public torch::nn::Module {
 public:
  // Throws nas::Error for an unknown attention, aggregator or activation.
  explicit MessagePassingLayerImpl(const MessagePassingOptions& options);

  // `x` [N, in] (dense, or sparse COO for a first layer over sparse features) and `edges` [2, E] with
  // self-loops; returns [N, out].
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& edges);

  // A module whose `forward(self, x: Tensor, edges: Tensor) -> Tensor` computes forward() in eval mode
  // on dense x.
  torch::jit::Module to_script(ScriptEmitter& emitter) const;

  const MessagePassingOptions& options() const { return options_; }
  // Equal for two layers whose parameters have the same shapes and play the same part: in, heads,
  // units, concat, attention, activation, and whether the aggregator has the MLP.
  std::string homogeneity_key() const;

 private:
  MessagePassingOptions options_;
  const GraphAttention& attention_;
  const GraphAggregator& aggregator_;
  const GraphActivation& activation_;
  torch::Tensor weight_;          // [heads * units, in]
  torch::Tensor att_l_, att_r_;   // [1, heads, units]
  torch::Tensor general_;         // [units]
  torch::nn::Linear mlp_in_{nullptr}, mlp_out_{nullptr};
  torch::Tensor residual_weight_; // [heads * units, in]; undefined without a projected residual
  torch::Tensor bias_;            // [out]
};
TORCH_MODULE(MessagePassingLayer);

}  // namespace nas
