#pragma once
// The ViT-ResNAS supernet (official nets/vit_sr_supernet.py with supernet=True): one network of the
// largest widths with every block present, in which each group of examples runs its own sub-network
// through per-example prefix masks (vit_resnas_masks.hpp), so G sub-networks train in one forward
// and backward pass. Sub-networks inherit leading slices of its weights (vit_resnas_inherit.hpp).
//
// The stem's BatchNorms are shared unsliced by every sub-network (their channels do not depend on the
// architecture) and, in training mode, take their statistics over the whole batch, every group's
// examples together, as in the official code; the stand-alone network extract() gives, run on the
// same whole batch, computes the same statistics. Nothing else keeps statistics across examples.
#include <torch/torch.h>

#include <memory>
#include <vector>

#include "ops/supernet.hpp"
#include "search_spaces/task.hpp"
#include "search_spaces/vit_resnas/vit_resnas_network.hpp"
#include "search_spaces/vit_resnas/vit_resnas_plan.hpp"
#include "search_spaces/vit_resnas/vit_resnas_space.hpp"

namespace nas {

class VitResnasSupernet : public Supernet {
 public:
  VitResnasSupernet(const VitResnasOptions& options, const TaskShape& task);

  torch::Tensor forward(torch::Tensor input, const std::vector<Architecture>& group_archs) override;
  // Built as the space's build() builds it, moved to this supernet's device, put in its training mode.
  std::shared_ptr<Network> extract(const Architecture& arch) const override;
  // Every decision's bank is its options in order (largest first), except a skippable block's: the
  // official [C, C, 0, 0], i.e. {keep, keep, skip, skip}, so that the block is kept with
  // probability 1/2 once warm-up enables the whole bank, and always at epoch 0.
  std::vector<Architecture> sample_groups(std::size_t groups, int epoch, int warmup_epochs, Rng& rng) const override;
  // Rewires every block (VitResnasBlockImpl::rewire) when `rewire` is set and epoch <= warmup_epochs,
  // as the official set_epoch does.
  void begin_epoch(int epoch, int warmup_epochs, bool rewire) override;

  const VitResnasNetwork& network() const { return *network_; }
  const VitResnasSpace& space() const { return space_; }

 private:
  VitResnasSpace space_;
  TaskShape task_;
  std::shared_ptr<VitResnasNetwork> network_;  // the largest network, every block present
};

}  // namespace nas
