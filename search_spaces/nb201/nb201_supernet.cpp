#include "search_spaces/nb201/nb201_supernet.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "ops/batch_norm.hpp"
#include "search_spaces/choice_banks.hpp"
#include "search_spaces/nb201/nb201_module_names.hpp"
#include "search_spaces/nb201/nb201_ops.hpp"
#include "search_spaces/nb201/nb201_plan.hpp"
#include "search_spaces/nb201/nb201_supernet_names.hpp"

namespace nas {
namespace {

// The stand-alone network's module names (nb201_module_names.hpp), so that the shared tensors carry
// the same names in both and extraction copies them by name.
const char* const kStemName = kNb201StemName;
const char* const kHeadBnName = kNb201HeadBnName;
const char* const kClassifierName = kNb201ClassifierName;
std::string layer_name(std::size_t index) { return nb201_layer_name(index); }

// The cell of `arch`, every op of which the space offers (the supernet holds no others).
Nb201Genotype path_of(const Nb201Space& space, const Architecture& arch) {
  const Nb201Genotype genotype = space.genotype_of(arch);
  const std::vector<std::string>& offered = space.options().ops;
  for (int e = 0; e < kNb201Edges; ++e) {
    const std::string& label = nb201_op_labels()[genotype.ops[e]];
    if (std::find(offered.begin(), offered.end(), label) == offered.end())
      throw Error(arch.hash(), "op '" + label + "' on edge " + nb201_edge_names()[e] +
                                   " is not among this supernet's ops (space.ops)");
  }
  return genotype;
}

// Copies each of `into`'s tensors from the supernet tensor of the same role in `from`.
void copy_by_name(const torch::OrderedDict<std::string, torch::Tensor>& from,
                  torch::OrderedDict<std::string, torch::Tensor> into, const Nb201Genotype& genotype,
                  const Architecture& arch) {
  for (auto& entry : into) {
    const std::string source_name = nb201_supernet_tensor_name(entry.key(), genotype);
    const torch::Tensor* source = from.find(source_name);
    if (!source || source->sizes() != entry.value().sizes())
      throw Error(arch.hash(), "the supernet holds no tensor '" + source_name + "' of the shape of the network's '" +
                                   entry.key() + "'; the supernet and Nb201Network no longer name their modules alike");
    entry.value().copy_(*source);
  }
}

}  // namespace

Nb201Supernet::Nb201Supernet(const Nb201Space& space, const TaskShape& task) : space_(space.options()), task_(task) {
  // The macro layout does not depend on the cell; make_nb201_plan refuses the tasks build() refuses.
  const Nb201Plan plan = make_nb201_plan(Nb201Genotype{}, space_.options(), task);
  // Built and registered in Nb201Network's order and with its factories, so that each shared module
  // has the stand-alone one's name, shape and initialisation.
  stem_ = register_module(kStemName, make_nb201_conv(plan.image.channels, plan.stages[0].channels, 3, 1, false));
  for (std::size_t stage = 0; stage < plan.stages.size(); ++stage) {
    const std::int64_t channels = plan.stages[stage].channels;
    if (stage > 0) {
      Layer layer;
      layer.reduction = register_module(
          layer_name(layers_.size()), std::make_shared<Nb201ReductionBlock>(plan.stages[stage - 1].channels, channels));
      layers_.push_back(layer);
    }
    for (std::int64_t i = 0; i < plan.cells_per_stage; ++i) {
      Layer layer;
      layer.cell = register_module(layer_name(layers_.size()),
                                   std::make_shared<Nb201SupernetCell>(space_.options().ops, channels));
      layers_.push_back(layer);
    }
  }
  const std::int64_t last = plan.stages.back().channels;
  head_bn_ = register_module(kHeadBnName, make_batch_norm(last, kTorchBatchNormEpsilon));
  classifier_ = register_module(kClassifierName, torch::nn::Linear(last, plan.classes));
}

torch::Tensor Nb201Supernet::forward_path(const torch::Tensor& input, const Nb201Genotype& genotype) {
  // Nb201Network::forward, with the cells on the path of `genotype`.
  torch::Tensor x = stem_->forward(input);
  for (const Layer& layer : layers_) x = layer.cell ? layer.cell->forward(x, genotype) : layer.reduction->forward(x);
  return classifier_->forward(torch::relu(batch_norm(head_bn_, x)).mean({2, 3}));
}

torch::Tensor Nb201Supernet::forward(torch::Tensor input, const std::vector<Architecture>& group_archs) {
  if (group_archs.empty()) throw Error("", "a supernet forward pass needs at least one group architecture");
  if (input.dim() != 4 || input.size(0) == 0)
    throw Error("", "the NAS-Bench-201 supernet takes a non-empty batch of images [N, C, H, W]");
  std::vector<Nb201Genotype> paths;
  paths.reserve(group_archs.size());
  for (const Architecture& arch : group_archs) paths.push_back(path_of(space_, arch));
  const std::int64_t batch = input.size(0);
  const auto groups = static_cast<std::int64_t>(paths.size());
  if (groups == 1) return forward_path(input, paths[0]);

  // Each group on its own (see the header): gather its rows, run its path, and put the logits back
  // in the rows they came from. Groups beyond the batch size have no examples and do not run.
  std::vector<torch::Tensor> rows, logits;
  for (std::int64_t g = 0; g < std::min(groups, batch); ++g) {
    rows.push_back(torch::arange(g, batch, groups, torch::TensorOptions().dtype(torch::kLong).device(input.device())));
    logits.push_back(forward_path(input.index_select(0, rows.back()), paths[static_cast<std::size_t>(g)]));
  }
  const torch::Tensor order = torch::cat(rows);  // the batch row of each row of the concatenated logits
  const torch::Tensor position = torch::empty_like(order).scatter_(0, order, torch::arange(batch, order.options()));
  return torch::cat(logits).index_select(0, position);
}

std::shared_ptr<Network> Nb201Supernet::extract(const Architecture& arch) const {
  const Nb201Genotype genotype = path_of(space_, arch);
  std::shared_ptr<Network> network = space_.build(arch, task_);
  network->to(classifier_->weight.device());
  torch::NoGradGuard no_grad;
  copy_by_name(named_parameters(), network->named_parameters(), genotype, arch);
  copy_by_name(named_buffers(), network->named_buffers(), genotype, arch);
  return network;
}

std::vector<Architecture> Nb201Supernet::sample_groups(std::size_t groups, int epoch, int warmup_epochs,
                                                       Rng& rng) const {
  // The default bank: every op of an edge once, in the space's order, so each is drawn uniformly.
  return sample_group_architectures(space_, groups, epoch, warmup_epochs, rng);
}

}  // namespace nas
