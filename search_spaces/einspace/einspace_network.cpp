#include "search_spaces/einspace/einspace_network.hpp"

#include <cmath>
#include <sstream>

#include "ops/script_emitter.hpp"

namespace nas {
namespace {

constexpr double kLeakySlope = 0.01;  // torch.nn.LeakyReLU's default, which the code uses
constexpr double kNormEpsilon = 1e-5;

std::vector<std::int64_t> permutation(const EinStep& step) {
  std::vector<std::int64_t> dims{0};
  for (int i = 0; i < (step.order[2] ? 3 : 2); ++i) dims.push_back(step.order[i]);
  return dims;
}

std::string tensor(int number) { return "t" + std::to_string(number); }

std::string int_list(const std::vector<std::int64_t>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + std::to_string(values[i]);
  return text + "]";
}

}  // namespace

EinspaceNetwork::EinspaceNetwork(EinProgram program) : program_(std::move(program)) {
  layers_.resize(program_.steps.size());
  for (std::size_t i = 0; i < program_.steps.size(); ++i) {
    const EinStep& step = program_.steps[i];
    Layers& layer = layers_[i];
    const std::string name = "s" + std::to_string(i);
    switch (step.kind) {
      case EinStepKind::linear:
      case EinStepKind::head:
        layer.linear = register_module(name, torch::nn::Linear(step.in_features, step.out_features));
        break;
      case EinStepKind::conv:
        layer.conv = register_module(
            name, torch::nn::Conv2d(torch::nn::Conv2dOptions(step.in_features, step.out_features, step.kernel)
                                        .stride(step.stride)
                                        .padding(step.padding)));
        break;
      case EinStepKind::batch_norm:
        layer.batch_norm = register_module(name, torch::nn::BatchNorm2d(step.in_features));
        break;
      case EinStepKind::layer_norm:
        layer.layer_norm = register_module(
            name, torch::nn::LayerNorm(torch::nn::LayerNormOptions({step.in_features}).eps(kNormEpsilon)));
        break;
      case EinStepKind::pos_enc: {
        std::vector<std::int64_t> shape{1};
        for (int d = 0; d < step.input_shape.rank; ++d) shape.push_back(step.input_shape.dims[d]);
        layer.embedding = register_parameter(name + "_embedding", torch::randn(shape));
        break;
      }
      default:
        break;
    }
  }
}

torch::Tensor EinspaceNetwork::forward(torch::Tensor input) { return forward_all(std::move(input))[program_.output]; }

std::vector<torch::Tensor> EinspaceNetwork::forward_all(torch::Tensor input) {
  std::vector<torch::Tensor> t(program_.tensors);
  t[0] = input;
  for (std::size_t i = 0; i < program_.steps.size(); ++i) {
    const EinStep& step = program_.steps[i];
    Layers& layer = layers_[i];
    const torch::Tensor& x = t[step.inputs[0]];
    torch::Tensor y;
    switch (step.kind) {
      case EinStepKind::permute: y = x.permute(permutation(step)); break;
      case EinStepKind::im2col:
        y = torch::nn::functional::unfold(x, torch::nn::functional::UnfoldFuncOptions({step.kernel, step.kernel})
                                                 .padding(step.padding)
                                                 .stride(step.stride))
                .transpose(1, 2);
        break;
      case EinStepKind::col2im: y = x.transpose(1, 2).reshape({x.size(0), -1, step.fold_h, step.fold_w}); break;
      case EinStepKind::linear: y = layer.linear->forward(x); break;
      case EinStepKind::conv: y = layer.conv->forward(x); break;
      case EinStepKind::batch_norm: y = layer.batch_norm->forward(x); break;
      case EinStepKind::layer_norm: y = layer.layer_norm->forward(x); break;
      case EinStepKind::leaky_relu: y = torch::leaky_relu(x, kLeakySlope); break;
      case EinStepKind::softmax: y = torch::softmax(x, -1); break;
      case EinStepKind::pos_enc: y = x + layer.embedding; break;
      case EinStepKind::split: {
        auto parts = x.split(x.size(step.dim) / step.parts, step.dim);
        for (int p = 0; p < step.parts; ++p) t[step.outputs[p]] = parts[p];
        continue;
      }
      case EinStepKind::matmul:
        y = torch::matmul(x, t[step.inputs[1]]);
        if (step.scaled) y = y * std::pow(static_cast<double>(x.size(-1)), -0.5);
        break;
      case EinStepKind::add:
        y = x;
        for (std::size_t k = 1; k < step.inputs.size(); ++k) y = y + t[step.inputs[k]];
        break;
      case EinStepKind::concat: {
        std::vector<torch::Tensor> parts;
        for (int k : step.inputs) parts.push_back(t[k]);
        y = torch::cat(parts, step.dim);
        break;
      }
      case EinStepKind::head:
        y = layer.linear->forward(step.input_shape.is_image() ? x.mean({2, 3}) : x.mean({2}));
        break;
    }
    t[step.outputs[0]] = y;
  }
  return t;
}

torch::jit::Module EinspaceNetwork::to_script(ScriptEmitter& emitter) const {
  torch::jit::Module module = emitter.make_module("einspace");
  // Submodule tensors are named "s3.weight"; the script module holds them flat as "s3_weight", since
  // an attribute name cannot hold a dot, and one flat module compiles in one go.
  auto flat = [](std::string name) {
    for (char& c : name)
      if (c == '.') c = '_';
    return name;
  };
  for (const auto& parameter : named_parameters(/*recurse=*/true))
    module.register_parameter(flat(parameter.key()), parameter.value().detach().clone(), false);
  for (const auto& buffer : named_buffers(/*recurse=*/true))
    module.register_buffer(flat(buffer.key()), buffer.value().detach().clone());
  std::ostringstream code;
  code << "def forward(self, t0: Tensor) -> Tensor:\n";
  for (std::size_t i = 0; i < program_.steps.size(); ++i) {
    const EinStep& s = program_.steps[i];
    const std::string x = tensor(s.inputs[0]);
    const std::string y = tensor(s.outputs[0]);
    const std::string p = "self.s" + std::to_string(i) + "_";
    code << "    # " << s.name() << " -> " << s.output_shape.text() << "\n    ";
    switch (s.kind) {
      case EinStepKind::permute: code << y << " = " << x << ".permute(" << int_list(permutation(s)) << ")"; break;
      case EinStepKind::im2col:
        code << y << " = torch.im2col(" << x << ", [" << s.kernel << ", " << s.kernel << "], [1, 1], [" << s.padding
             << ", " << s.padding << "], [" << s.stride << ", " << s.stride << "]).transpose(1, 2)";
        break;
      case EinStepKind::col2im:
        code << y << " = " << x << ".transpose(1, 2).reshape([" << x << ".size(0), -1, " << s.fold_h << ", "
             << s.fold_w << "])";
        break;
      case EinStepKind::linear: code << y << " = torch.linear(" << x << ", " << p << "weight, " << p << "bias)"; break;
      case EinStepKind::conv:
        code << y << " = torch.conv2d(" << x << ", " << p << "weight, " << p << "bias, [" << s.stride << ", "
             << s.stride << "], [" << s.padding << ", " << s.padding << "])";
        break;
      case EinStepKind::batch_norm:
        code << y << " = torch.batch_norm(" << x << ", " << p << "weight, " << p << "bias, " << p << "running_mean, "
             << p << "running_var, False, 0.0, " << script_float(layers_[i].batch_norm->options.eps()) << ", False)";
        break;
      case EinStepKind::layer_norm:
        code << y << " = torch.layer_norm(" << x << ", [" << s.in_features << "], " << p << "weight, " << p
             << "bias, " << script_float(kNormEpsilon) << ", False)";
        break;
      case EinStepKind::leaky_relu: code << y << " = torch.leaky_relu(" << x << ", " << script_float(kLeakySlope) << ")"; break;
      case EinStepKind::softmax: code << y << " = torch.softmax(" << x << ", -1)"; break;
      case EinStepKind::pos_enc: code << y << " = " << x << " + " << p << "embedding"; break;
      case EinStepKind::split: {
        code << "parts" << i << " = torch.split(" << x << ", " << x << ".size(" << s.dim << ") // " << s.parts << ", "
             << s.dim << ")";
        for (int k = 0; k < s.parts; ++k) code << "\n    " << tensor(s.outputs[k]) << " = parts" << i << "[" << k << "]";
        break;
      }
      case EinStepKind::matmul:
        code << y << " = torch.matmul(" << x << ", " << tensor(s.inputs[1]) << ")";
        if (s.scaled) code << " * (float(" << x << ".size(-1)) ** -0.5)";
        break;
      case EinStepKind::add:
        code << y << " = " << x;
        for (std::size_t k = 1; k < s.inputs.size(); ++k) code << " + " << tensor(s.inputs[k]);
        break;
      case EinStepKind::concat: {
        code << y << " = torch.cat([";
        for (std::size_t k = 0; k < s.inputs.size(); ++k) code << (k ? ", " : "") << tensor(s.inputs[k]);
        code << "], " << s.dim << ")";
        break;
      }
      case EinStepKind::head:
        code << y << " = torch.linear(" << x << ".mean(" << (s.input_shape.is_image() ? "[2, 3]" : "[2]") << "), "
             << p << "weight, " << p << "bias)";
        break;
    }
    code << "\n";
  }
  code << "    return " << tensor(program_.output) << "\n";
  emitter.define(module, code.str());
  return module;
}

}  // namespace nas
