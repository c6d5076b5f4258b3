#pragma once
// Multi-architecture sampling for supernet training (ViT-ResNAS, Liao et al. 2021, official code
// nets/channel_drop.py): for each decision, the G groups of a training step draw their options from a
// shuffled bank that holds each enabled option about equally often, so one step trains G different
// sub-networks with near-balanced choices, drawn independently across decisions.
#include <cstddef>
#include <functional>
#include <vector>

#include "core/architecture.hpp"
#include "core/decision.hpp"
#include "core/rng.hpp"

namespace nas {

class SearchSpace;

// Choice warm-up: of a bank of n entries ordered largest sub-network first, epoch `epoch` enables the
// first min(1 + floor(epoch (n - 1) / W), n); all of them when W = warmup_epochs is 0.
std::size_t enabled_bank_entries(std::size_t n, int epoch, int warmup_epochs);

// `groups` draws from `bank` (option indices, largest first; an index repeated weighs it, as the
// official [C, C, 0, 0] bank of a skippable block keeps it with probability 1/2): the enabled entries
// repeated ceil(groups / enabled) times, shuffled with `rng`, the first `groups` of them.
std::vector<std::size_t> draw_from_bank(const std::vector<std::size_t>& bank, std::size_t groups, int epoch,
                                        int warmup_epochs, Rng& rng);

// The bank of a decision; the default (empty function) is every option once, in the decision's order.
using BankOfDecision = std::function<std::vector<std::size_t>(const Decision&)>;

// The architectures of `groups` groups: walks `space` once per group; the first time a decision key is
// met its `groups` options are drawn (draw_from_bank), and group g takes the g-th.
std::vector<Architecture> sample_group_architectures(const SearchSpace& space, std::size_t groups, int epoch,
                                                     int warmup_epochs, Rng& rng,
                                                     const BankOfDecision& bank_of = {});

}  // namespace nas
