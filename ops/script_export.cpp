#include "ops/script_export.hpp"

#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "ops/script_emitter.hpp"

namespace nas {

torch::jit::Module script_image_classifier(const Network& network, const torch::Tensor& mean,
                                           const torch::Tensor& std) {
  if (mean.dim() != 1 || std.dim() != 1 || mean.numel() != std.numel() || mean.numel() == 0)
    throw Error("", "image normalisation needs a mean and a std of one value per channel, got shapes " +
                        c10::str(mean.sizes()) + " and " + c10::str(std.sizes()));
  const torch::Tensor std_copy = std.detach().to(torch::kFloat32).clone();
  if (!(std_copy > 0).all().item<bool>())
    throw Error("", "image normalisation needs a positive std per channel, got " + c10::str(std_copy));

  ScriptEmitter emitter;
  torch::jit::Module module = emitter.make_module("ImageClassifier");
  module.register_buffer("mean", mean.detach().to(torch::kFloat32).clone());
  module.register_buffer("std", std_copy);
  module.register_module("network", network.to_script(emitter));
  emitter.define(module, R"(
def forward(self, images: Tensor) -> Tensor:
    mean = self.mean.view([1, -1, 1, 1])
    std = self.std.view([1, -1, 1, 1])
    return self.network.forward((images - mean) / std)
)");
  return module;
}

void save_script_module(torch::jit::Module& module, const std::string& path) {
  // Into memory first: LibTorch's file writer finishes the archive in its destructor, and a write
  // that fails there (a full disk) throws from the destructor and ends the process. The bytes then
  // go to the file through a write whose every failure is an error, aside and renamed into place.
  std::ostringstream bytes;
  try {
    module.save(bytes);
  } catch (const c10::Error& e) {
    throw Error(path, "cannot write the TorchScript file: " + e.msg());
  }
  write_file_atomically(path, bytes.str());
}

}  // namespace nas
