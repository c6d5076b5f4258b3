#include "evaluators/shared_layer_store.hpp"

namespace nas {
namespace {

std::vector<torch::Tensor> tensors_of(const torch::nn::Module& layer) {
  std::vector<torch::Tensor> tensors = layer.parameters();
  for (const auto& buffer : layer.buffers()) tensors.push_back(buffer);
  return tensors;
}

}  // namespace

int SharedLayerStore::inherit(GraphNetwork& net) const {
  const std::lock_guard<std::mutex> lock(mutex_);
  int inherited = 0;
  torch::NoGradGuard no_grad;
  for (auto& [key, layer] : net.shareable_layers()) {
    const auto found = entries_.find(key);
    if (found == entries_.end()) continue;
    std::vector<torch::Tensor> targets = tensors_of(*layer);
    // Equal keys promise equal shapes; a mismatch means a key that says too little, so no sharing.
    if (targets.size() != found->second.tensors.size()) continue;
    bool fits = true;
    for (std::size_t i = 0; i < targets.size(); ++i) fits = fits && targets[i].sizes() == found->second.tensors[i].sizes();
    if (!fits) continue;
    for (std::size_t i = 0; i < targets.size(); ++i) targets[i].copy_(found->second.tensors[i]);
    ++inherited;
  }
  return inherited;
}

void SharedLayerStore::offer(GraphNetwork& net, double val_accuracy) {
  const std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [key, layer] : net.shareable_layers()) {
    const auto found = entries_.find(key);
    if (found != entries_.end() && found->second.val_accuracy >= val_accuracy) continue;
    Entry entry;
    entry.val_accuracy = val_accuracy;
    for (const auto& tensor : tensors_of(*layer)) entry.tensors.push_back(tensor.detach().clone());
    entries_[key] = std::move(entry);
  }
}

}  // namespace nas
