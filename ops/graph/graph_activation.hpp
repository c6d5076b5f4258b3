#pragma once
// The activations of GraphNAS's space, applied to each layer's output: in LibTorch and as the
// TorchScript expression that computes the same.
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

namespace nas {

struct GraphActivation {
  std::string name;
  std::function<torch::Tensor(const torch::Tensor&)> apply;
  std::string script_template;  // TorchScript computing the same of the argument written "$"
};

// sigmoid, tanh, relu, linear (the identity), softplus, leaky_relu, relu6, elu.
const std::vector<GraphActivation>& graph_activations();
std::vector<std::string> graph_activation_names();
const GraphActivation& graph_activation(const std::string& name);

// `argument` (TorchScript) passed through the activation.
std::string script_activation(const GraphActivation& activation, const std::string& argument);

}  // namespace nas
