#include "evaluators/builtin/shared_layers.hpp"

#include <torch/torch.h>

#include "core/error.hpp"
#include "ops/graph/graph_network.hpp"

namespace nas {

struct SharedLayer {
  double val_accuracy = 0;
  std::vector<torch::Tensor> tensors;  // parameters then buffers, in the module's order
};

namespace {

// An immutable copy of the map: stored layers are never changed in place, only replaced, so the
// snapshot shares their tensors.
class SharedLayersView : public SharedWeightsView {
 public:
  explicit SharedLayersView(std::map<std::string, std::shared_ptr<const SharedLayer>> layers)
      : layers(std::move(layers)) {}
  std::string kind() const override { return SharedLayers::kKind; }
  std::vector<StateRecord> records() const override;
  const std::map<std::string, std::shared_ptr<const SharedLayer>> layers;
};

std::vector<torch::Tensor> tensors_of(const torch::nn::Module& layer) {
  std::vector<torch::Tensor> tensors = layer.parameters();
  for (const auto& buffer : layer.buffers()) tensors.push_back(buffer);
  return tensors;
}

// A record's bytes: LibTorch's pickle of (val_accuracy, [tensors]), which keeps every bit.
std::string encode(const SharedLayer& layer) {
  c10::List<at::Tensor> tensors;
  for (const torch::Tensor& tensor : layer.tensors) tensors.push_back(tensor);
  const std::vector<char> bytes =
      torch::pickle_save(c10::ivalue::Tuple::create({c10::IValue(layer.val_accuracy), c10::IValue(tensors)}));
  return std::string(bytes.begin(), bytes.end());
}

std::shared_ptr<const SharedLayer> decode(const StateRecord& record) {
  try {
    const c10::IValue value = torch::pickle_load(std::vector<char>(record.bytes.begin(), record.bytes.end()));
    const auto& elements = value.toTupleRef().elements();
    if (elements.size() != 2) throw Error("", "expected (val_accuracy, tensors)");
    auto layer = std::make_shared<SharedLayer>();
    layer->val_accuracy = elements[0].toDouble();
    for (const at::Tensor& tensor : elements[1].toTensorList()) layer->tensors.push_back(tensor);
    return layer;
  } catch (const std::exception& e) {
    const std::string reason = e.what();
    throw Error(std::string(SharedLayers::kKind) + " record '" + record.key + "'",
                "cannot be read: " + reason.substr(0, reason.find('\n')));
  }
}

std::vector<StateRecord> SharedLayersView::records() const {
  std::vector<StateRecord> records;
  for (const auto& [key, layer] : layers) records.push_back(StateRecord{key, encode(*layer)});
  return records;
}

}  // namespace

std::shared_ptr<const SharedWeightsView> SharedLayers::view() const {
  return std::make_shared<const SharedLayersView>(layers_);
}

std::vector<StateRecord> SharedLayers::absorb(const std::vector<StateRecord>& offer) {
  std::vector<StateRecord> stored;
  for (const StateRecord& record : offer) {
    std::shared_ptr<const SharedLayer> layer = decode(record);
    const auto found = layers_.find(record.key);
    if (found != layers_.end() && found->second->val_accuracy >= layer->val_accuracy) continue;
    layers_[record.key] = std::move(layer);
    stored.push_back(record);
  }
  return stored;
}

void SharedLayers::restore(const std::vector<StateRecord>& records) {
  layers_.clear();
  for (const StateRecord& record : records) layers_[record.key] = decode(record);
}

int inherit_shared_layers(const SharedWeightsView& view, GraphNetwork& net) {
  const auto* layers = dynamic_cast<const SharedLayersView*>(&view);
  if (!layers)
    throw Error("shared weights", "are of kind '" + view.kind() + "'; graph networks inherit " + SharedLayers::kKind);
  int inherited = 0;
  torch::NoGradGuard no_grad;
  for (auto& [key, layer] : net.shareable_layers()) {
    const auto found = layers->layers.find(key);
    if (found == layers->layers.end()) continue;
    const std::vector<torch::Tensor>& stored = found->second->tensors;
    std::vector<torch::Tensor> targets = tensors_of(*layer);
    // Equal keys promise equal shapes; a mismatch means a key that says too little, so no sharing.
    if (targets.size() != stored.size()) continue;
    bool fits = true;
    for (std::size_t i = 0; i < targets.size(); ++i) fits = fits && targets[i].sizes() == stored[i].sizes();
    if (!fits) continue;
    for (std::size_t i = 0; i < targets.size(); ++i) targets[i].copy_(stored[i]);
    ++inherited;
  }
  return inherited;
}

std::vector<StateRecord> offer_shared_layers(GraphNetwork& net, double val_accuracy) {
  std::vector<StateRecord> offer;
  for (auto& [key, layer] : net.shareable_layers()) {
    SharedLayer trained;
    trained.val_accuracy = val_accuracy;
    for (const auto& tensor : tensors_of(*layer)) trained.tensors.push_back(tensor.detach().clone());
    offer.push_back(StateRecord{key, encode(trained)});
  }
  return offer;
}

}  // namespace nas
