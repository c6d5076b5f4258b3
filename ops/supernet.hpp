#pragma once
// The LibTorch side of weight sharing: one module holding the largest weights of a search space, in
// which every sub-network of the space runs on its leading slices (ViT-ResNAS) or on its own path
// (single-path one-shot for NAS-Bench-201). A space that offers one builds it with
// SearchSpace::build_supernet(); the supernet phase trains it, and the `inherited` evaluator scores
// sub-networks with the weights they inherit from it.
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/architecture.hpp"
#include "core/rng.hpp"
#include "ops/network.hpp"

namespace nas {

class Supernet : public torch::nn::Module {
 public:
  // Multi-architecture forward pass: example b of `input` belongs to group b % G (G =
  // group_archs.size(), as in the official ViT-ResNAS code) and runs the sub-network group_archs[g],
  // all in one forward (and backward) pass. Returns logits [B, classes]. The rows of group g equal
  // those of extract(group_archs[g]) run in the same mode; implementations say which examples a
  // shared batch-norm layer takes its training-mode statistics from.
  virtual torch::Tensor forward(torch::Tensor input, const std::vector<Architecture>& group_archs) = 0;

  // The stand-alone network of `arch` (as SearchSpace::build gives it) holding copies of the weights
  // it inherits from this supernet; the supernet is left as it is.
  virtual std::shared_ptr<Network> extract(const Architecture& arch) const = 0;

  // The sub-networks of the G groups of one training step at `epoch`: each decision's option drawn
  // from a shuffled, balanced bank of the options choice warm-up enables at that epoch
  // (search_spaces/choice_banks.hpp), independently across decisions.
  virtual std::vector<Architecture> sample_groups(std::size_t groups, int epoch, int warmup_epochs,
                                                  Rng& rng) const = 0;

  // Called before each training epoch. ViT-ResNAS re-sorts heads and MLP units by importance here
  // while epoch <= warmup_epochs and `rewire` is set; spaces without rewiring ignore it. Rewiring
  // must leave the output of every sub-network whose units it only permutes unchanged.
  virtual void begin_epoch(int epoch, int warmup_epochs, bool rewire) {
    (void)epoch;
    (void)warmup_epochs;
    (void)rewire;
  }

  // Training progress in [0, 1], for schedules inside the network (drop-path rates).
  virtual void set_progress(double progress) { (void)progress; }
};

}  // namespace nas
