#include "ops/script_emitter.hpp"

#include <torch/csrc/jit/frontend/resolver.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace nas {
namespace {

// Where emitted classes and library functions live; `__torch__` is the root TorchScript's own
// exporters use, and a saved module keeps the code of this namespace in code/__torch__/nas.py.
const c10::QualifiedName kNamespace("__torch__.nas");

// Resolves a free name in emitted code to a library function of the emitter's unit, and `torch` to
// the builtin operators, as Module::define does without a resolver.
class LibraryResolver : public torch::jit::Resolver {
 public:
  explicit LibraryResolver(std::shared_ptr<torch::jit::CompilationUnit> unit) : unit_(std::move(unit)) {}

  std::shared_ptr<torch::jit::SugaredValue> resolveValue(const std::string& name, torch::jit::GraphFunction& method,
                                                         const torch::jit::SourceRange& location) override {
    if (torch::jit::Function* function = unit_->find_function(c10::QualifiedName(kNamespace, name)))
      return std::make_shared<torch::jit::FunctionValue>(function);
    return builtins_.resolveValue(name, method, location);
  }

  c10::TypePtr resolveType(const std::string& name, const torch::jit::SourceRange& location) override {
    return builtins_.resolveType(name, location);
  }

 private:
  std::shared_ptr<torch::jit::CompilationUnit> unit_;
  torch::jit::NativeResolver builtins_;
};

}  // namespace

ScriptEmitter::ScriptEmitter()
    : unit_(std::make_shared<torch::jit::CompilationUnit>()), resolver_(std::make_shared<LibraryResolver>(unit_)) {}

torch::jit::Module ScriptEmitter::make_module(const std::string& kind) {
  const int earlier = modules_per_kind_[kind]++;
  const std::string name = earlier == 0 ? kind : kind + "_" + std::to_string(earlier);
  torch::jit::Module module(c10::QualifiedName(kNamespace, name), unit_);
  // Every scripted nn.Module has this flag; Python's loader and Module::train() expect it.
  module.register_attribute("training", c10::BoolType::get(), false);
  return module;
}

void ScriptEmitter::define(torch::jit::Module& module, const std::string& source) const {
  module.define(source, resolver_);
}

void ScriptEmitter::define_functions(const std::string& library, const std::string& source) {
  if (libraries_.count(library)) return;
  unit_->define(kNamespace, source, resolver_, nullptr);
  libraries_.insert(library);
}

void ScriptEmitter::copy_tensors(const torch::nn::Module& source, torch::jit::Module& target) {
  for (const auto& parameter : source.named_parameters(/*recurse=*/false)) {
    if (!parameter.value().defined()) continue;  // e.g. a conv's bias when it has none
    target.register_parameter(parameter.key(),
                              parameter.value().detach().clone().requires_grad_(parameter.value().requires_grad()),
                              /*is_buffer=*/false);
  }
  for (const auto& buffer : source.named_buffers(/*recurse=*/false)) {
    if (buffer.value().defined()) target.register_buffer(buffer.key(), buffer.value().detach().clone());
  }
}

std::string script_float(double value) {
  if (std::isnan(value)) return "float(\"nan\")";
  if (std::isinf(value)) return value > 0 ? "float(\"inf\")" : "float(\"-inf\")";
  char text[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  std::string literal = text;
  // "1" would be an int in TorchScript.
  if (literal.find_first_of(".e") == std::string::npos) literal += ".0";
  return literal;
}

std::string script_int_list(c10::IntArrayRef values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + std::to_string(values[i]);
  return text + "]";
}

}  // namespace nas
