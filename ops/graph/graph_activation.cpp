#include "ops/graph/graph_activation.hpp"

#include "ops/graph/named_table.hpp"

namespace nas {
namespace {

// torch.nn.functional's default slope, which GraphNAS uses.
constexpr double kLeakySlope = 0.01;

}  // namespace

const std::vector<GraphActivation>& graph_activations() {
  static const std::vector<GraphActivation> table = {
      {"sigmoid", [](const torch::Tensor& x) { return torch::sigmoid(x); }, "torch.sigmoid($)"},
      {"tanh", [](const torch::Tensor& x) { return torch::tanh(x); }, "torch.tanh($)"},
      {"relu", [](const torch::Tensor& x) { return torch::relu(x); }, "torch.relu($)"},
      {"linear", [](const torch::Tensor& x) { return x; }, "$"},
      {"softplus", [](const torch::Tensor& x) { return torch::softplus(x, 1.0, 20.0); }, "torch.softplus($, 1.0, 20.0)"},
      {"leaky_relu", [](const torch::Tensor& x) { return torch::leaky_relu(x, kLeakySlope); },
       "torch.leaky_relu($, 0.01)"},
      {"relu6", [](const torch::Tensor& x) { return torch::hardtanh(x, 0.0, 6.0); }, "torch.hardtanh($, 0.0, 6.0)"},
      {"elu", [](const torch::Tensor& x) { return torch::elu(x); }, "torch.elu($)"},
  };
  return table;
}

std::vector<std::string> graph_activation_names() { return table_names(graph_activations()); }

const GraphActivation& graph_activation(const std::string& name) { return table_entry(graph_activations(), name, "activation"); }

std::string script_activation(const GraphActivation& activation, const std::string& argument) {
  std::string text = activation.script_template;
  return text.replace(text.find('$'), 1, argument);
}

}  // namespace nas
