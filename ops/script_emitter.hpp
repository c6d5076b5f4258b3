#pragma once
// Writes trained LibTorch modules out as TorchScript by code generation. Every emitted module gets a
// class of its own whose methods are source text compiled by torch::jit::Module::define, so a saved
// file holds readable code plus the trained tensors as named parameters and buffers. Tracing would
// instead record one run's operations, with the padding of that run's image size baked in.
#include <torch/torch.h>

#include <map>
#include <memory>
#include <set>
#include <string>

namespace torch::jit {
struct Resolver;
}  // namespace torch::jit

namespace nas {

class ScriptEmitter {
 public:
  ScriptEmitter();

  // A new module, in eval mode, whose class is its own: `__torch__.nas.<kind>` for the first of a kind,
  // `__torch__.nas.<kind>_<n>` after that. Classes share one compilation unit.
  torch::jit::Module make_module(const std::string& kind);

  // Compiles `source` (methods taking `self`) into `module`'s class. Register the submodules and
  // tensors the code refers to first. The code may call every function of the libraries defined so
  // far by its plain name, and torch's builtin operators as `torch.<op>`.
  void define(torch::jit::Module& module, const std::string& source) const;

  // Compiles `source`, free TorchScript functions that many modules call, into the unit once: a
  // later call with the same `library` name does nothing. Define a library's dependencies first.
  void define_functions(const std::string& library, const std::string& source);

  // Copies `source`'s own parameters and buffers (not its submodules') into `target` under the same
  // names. The copies are detached, so the script keeps the values of the moment of export.
  static void copy_tensors(const torch::nn::Module& source, torch::jit::Module& target);

 private:
  std::shared_ptr<torch::jit::CompilationUnit> unit_;
  std::shared_ptr<torch::jit::Resolver> resolver_;
  std::map<std::string, int> modules_per_kind_;
  std::set<std::string> libraries_;
};

// Literals for emitted code.
std::string script_float(double value);                // shortest text that reads back as `value`: "0.001"
std::string script_int_list(c10::IntArrayRef values);  // "[2, 2]"

}  // namespace nas
