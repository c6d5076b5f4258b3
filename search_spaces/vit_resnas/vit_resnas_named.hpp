#pragma once
// Architectures from the literature shipped with the ViT-ResNAS space.
//
//   tiny-searched (preset tiny only): the searched ViT-ResNAS-Tiny network, the network_def of the
//   official scripts/vit-sr-nas/searched_net/tiny.sh: widths 176 / 352 / 704; heads and MLP widths
//   block by block as listed there. That network_def lists only the kept blocks, 5 + 6 + 5 of the
//   supernet's 6 + 6 + 6, so it does not say which skippable block of stages 1 and 3 was skipped; we
//   put the skipped block at the last skippable position (block 6), which leaves the stand-alone
//   network, its parameter and multiply-add counts unchanged (a skipped block is the identity) and
//   only decides which supernet blocks it would inherit weights from.
#include <string>
#include <vector>

#include "search_spaces/vit_resnas/vit_resnas_genotype.hpp"
#include "search_spaces/vit_resnas/vit_resnas_options.hpp"

namespace nas {

// The names available under `options`' preset.
std::vector<std::string> vit_resnas_named_architectures(const VitResnasOptions& options);
// The genotype of `name`; throws nas::Error for a name the preset does not offer.
VitResnasGenotype vit_resnas_named_genotype(const std::string& name, const VitResnasOptions& options);

}  // namespace nas
