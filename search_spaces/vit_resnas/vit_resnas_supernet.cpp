#include "search_spaces/vit_resnas/vit_resnas_supernet.hpp"

#include <numeric>

#include "search_spaces/choice_banks.hpp"
#include "search_spaces/vit_resnas/vit_resnas_inherit.hpp"
#include "search_spaces/vit_resnas/vit_resnas_masks.hpp"

namespace nas {
namespace {

const char* const kNetworkName = "network";

// Indices into a skippable block's options {keep, skip}: official bank [C, C, 0, 0].
std::vector<std::size_t> bank_of(const Decision& decision) {
  if (decision.kind == "keep") return {0, 0, 1, 1};
  std::vector<std::size_t> bank(decision.options.size());
  std::iota(bank.begin(), bank.end(), std::size_t{0});
  return bank;
}

}  // namespace

VitResnasSupernet::VitResnasSupernet(const VitResnasOptions& options, const TaskShape& task)
    : space_(options), task_(task) {
  network_ = register_module(kNetworkName, std::make_shared<VitResnasNetwork>(make_vit_resnas_plan(
                                               largest_vit_resnas_genotype(options), options, task)));
}

torch::Tensor VitResnasSupernet::forward(torch::Tensor input, const std::vector<Architecture>& group_archs) {
  std::vector<VitResnasGenotype> groups;
  groups.reserve(group_archs.size());
  for (const Architecture& arch : group_archs) groups.push_back(space_.genotype_of(arch));
  const VitResnasMasks masks = make_vit_resnas_masks(groups, network_->plan(), input.size(0), input.options());
  return network_->forward_masked(std::move(input), &masks);
}

std::shared_ptr<Network> VitResnasSupernet::extract(const Architecture& arch) const {
  auto sub =
      std::make_shared<VitResnasNetwork>(make_vit_resnas_plan(space_.genotype_of(arch), space_.options(), task_));
  // Device only: a dtype would also convert the BatchNorms' integer step counters.
  sub->to(network_->parameters().front().device());
  inherit_vit_resnas_weights(*sub, *network_);
  sub->train(is_training());
  return sub;
}

std::vector<Architecture> VitResnasSupernet::sample_groups(std::size_t groups, int epoch, int warmup_epochs,
                                                           Rng& rng) const {
  return sample_group_architectures(space_, groups, epoch, warmup_epochs, rng, bank_of);
}

void VitResnasSupernet::begin_epoch(int epoch, int warmup_epochs, bool rewire) {
  if (!rewire || epoch > warmup_epochs) return;
  for (const auto& stage : network_->blocks())
    for (VitResnasBlock block : stage) block->rewire();  // a holder copy shares the module
}

}  // namespace nas
