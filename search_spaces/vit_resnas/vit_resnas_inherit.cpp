#include "search_spaces/vit_resnas/vit_resnas_inherit.hpp"

#include "core/error.hpp"

namespace nas {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shape_text(const torch::Tensor& tensor) {
  std::string text = "[";
  for (std::int64_t d = 0; d < tensor.dim(); ++d) text += (d ? ", " : "") + std::to_string(tensor.size(d));
  return text + "]";
}

// `source`[:n0, :n1, ...] for the sizes of `target`.
torch::Tensor leading_slice(const torch::Tensor& source, const torch::Tensor& target, const std::string& name) {
  if (source.dim() != target.dim())
    throw Error(name, "the supernet's tensor is " + shape_text(source) + ", the sub-network's " + shape_text(target));
  torch::Tensor slice = source;
  for (std::int64_t d = 0; d < target.dim(); ++d) {
    if (target.size(d) > source.size(d))
      throw Error(name, "the sub-network's tensor " + shape_text(target) + " is larger than the supernet's " +
                            shape_text(source));
    slice = slice.slice(d, 0, target.size(d));
  }
  return slice;
}

// qkv's output rows are q, k and v one after the other: each third is sliced on its own.
torch::Tensor qkv_slice(const torch::Tensor& source, const torch::Tensor& target, const std::string& name) {
  const std::int64_t source_third = source.size(0) / 3, target_third = target.size(0) / 3;
  std::vector<torch::Tensor> thirds;
  for (std::int64_t i = 0; i < 3; ++i)
    thirds.push_back(source.slice(0, i * source_third, i * source_third + target_third));
  const torch::Tensor rows = torch::cat(thirds, 0);
  return target.dim() == 2 ? leading_slice(rows, target, name) : rows;
}

void copy_inherited(const torch::OrderedDict<std::string, torch::Tensor>& targets,
                    const torch::OrderedDict<std::string, torch::Tensor>& sources) {
  for (const auto& entry : targets) {
    const std::string& name = entry.key();
    const torch::Tensor* source = sources.find(name);
    if (!source) throw Error(name, "the supernet has no tensor of this name to inherit");
    torch::Tensor target = entry.value();
    if (!target.defined()) continue;
    const bool qkv = ends_with(name, ".qkv.weight") || ends_with(name, ".qkv.bias");
    target.copy_(qkv ? qkv_slice(*source, target, name) : leading_slice(*source, target, name));
  }
}

}  // namespace

void inherit_vit_resnas_weights(torch::nn::Module& sub, const torch::nn::Module& super) {
  torch::NoGradGuard no_grad;
  copy_inherited(sub.named_parameters(), super.named_parameters());
  copy_inherited(sub.named_buffers(), super.named_buffers());
}

}  // namespace nas
