#pragma once
// The single-path one-shot supernet of NAS-Bench-201 (SPOS, Guo et al., ECCV 2020, arXiv 2019): the
// benchmark's TinyNetwork (search_spaces/nb201/nb201_plan.hpp) whose every cell holds every op the
// space offers on every edge, one weight per cell, edge and op (nor_conv_3x3 and nor_conv_1x1 with
// their BatchNorms; avg_pool_3x3, skip_connect and none have none), with the stem, the reduction
// blocks, the head's BatchNorm and the classifier shared by all sub-networks. Each has exactly the
// shape, module name (plus the op label below a cell edge, nb201_supernet_names.hpp) and
// initialisation of its stand-alone Nb201Network counterpart. A training step samples G cells with a
// balanced bank per edge (every op once, uniformly; search_spaces/choice_banks.hpp) and trains each
// on its own share of the batch.
//
// Batch-norm choice: forward() runs each group's examples (rows b with b % G == g) through that group's
// single path on their own, rather than all groups in one pass over the batch. Every layer, shared or
// not, so sees only the group's examples, and its training-mode statistics are those of the group's
// examples: the output rows of group g equal exactly extract(group_archs[g]) run on those examples
// alone, in training mode as in eval mode. A sub-network's inherited training-mode behaviour is then
// that of its stand-alone network, which one pass would break for the shared layers (the stem's and
// reduction blocks' BNs would normalise with the statistics of the whole mixed batch). The cost is
// G smaller passes instead of one, which SPOS's per-op layers need anyway.
//
// Running statistics: in training mode each BN's running averages move once per group that runs
// through it, from that group's examples; an op's BN therefore learns only from the examples that took
// it, and a shared BN (momentum 0.1) takes G updates per step.
#include <cstdint>
#include <memory>
#include <vector>

#include <torch/torch.h>

#include "ops/relu_conv_bn.hpp"
#include "ops/supernet.hpp"
#include "search_spaces/nb201/nb201_reduction_block.hpp"
#include "search_spaces/nb201/nb201_space.hpp"
#include "search_spaces/nb201/nb201_supernet_cell.hpp"

namespace nas {

class Nb201Supernet : public Supernet {
 public:
  // The supernet of `space` (copied: a supernet outlives the space object that built it) for `task`.
  // Throws nas::Error for a task whose network the space cannot build (odd sizes before a reduction).
  Nb201Supernet(const Nb201Space& space, const TaskShape& task);

  torch::Tensor forward(torch::Tensor input, const std::vector<Architecture>& group_archs) override;

  // An Nb201Network (as Nb201Space::build makes it, so it exports with its to_script) holding copies
  // of the parameters and BN buffers (running statistics, batch counts) of the path of `arch`, on this
  // supernet's device; in training mode, as build() leaves a fresh network.
  std::shared_ptr<Network> extract(const Architecture& arch) const override;

  // sample_group_architectures over the space with every op of an edge once in its bank: each group's
  // edges draw their ops uniformly, balanced across the groups (G = 5 and no warm-up: each op once).
  std::vector<Architecture> sample_groups(std::size_t groups, int epoch, int warmup_epochs,
                                          Rng& rng) const override;

  // begin_epoch and set_progress keep the defaults: SPOS rewires nothing and schedules nothing.

 private:
  // The single path of one cell genotype, on a batch that belongs wholly to that genotype.
  torch::Tensor forward_path(const torch::Tensor& input, const Nb201Genotype& genotype);

  // A layer of the network, in the stand-alone network's order: a cell or a reduction block.
  struct Layer {
    std::shared_ptr<Nb201SupernetCell> cell;
    std::shared_ptr<Nb201ReductionBlock> reduction;
  };

  Nb201Space space_;
  TaskShape task_;
  std::shared_ptr<ReluConvBn> stem_;
  std::vector<Layer> layers_;
  torch::nn::BatchNorm2d head_bn_{nullptr};
  torch::nn::Linear classifier_{nullptr};
};

}  // namespace nas
