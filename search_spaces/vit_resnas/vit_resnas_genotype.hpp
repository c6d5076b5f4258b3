#pragma once
// A ViT-ResNAS architecture in its own terms: per stage the embedding width, per block the number of
// heads, the MLP hidden units and whether the block is kept.
//
// JSON form:
//   {"stages": [{"embed": 176, "blocks": [{"heads": 3, "mlp": 704, "keep": true}, ...]}, ...],
//    "short": "176: 3/704 3/576 - ... | 352: ... | 704: ..."}
// Short form: per stage "<embed>: " and per block "<heads>/<mlp>", or "-" for a skipped block;
// stages separated by " | ". It leaves out what a skipped block would have had, so it is also the
// canonical string: two architectures that differ only in a skipped block's heads or MLP build the
// same network. The position of a skipped block is kept: the blocks around it inherit other weights
// from the supernet (and carry other module names) than with the skip elsewhere.
#include <cstdint>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "search_spaces/vit_resnas/vit_resnas_options.hpp"

namespace nas {

struct VitResnasBlockGenotype {
  std::int64_t heads = 0;
  std::int64_t mlp = 0;
  bool keep = true;

  bool operator==(const VitResnasBlockGenotype& other) const {
    return heads == other.heads && mlp == other.mlp && keep == other.keep;
  }
};

struct VitResnasStageGenotype {
  std::int64_t embed = 0;
  std::vector<VitResnasBlockGenotype> blocks;

  bool operator==(const VitResnasStageGenotype& other) const { return embed == other.embed && blocks == other.blocks; }
};

struct VitResnasGenotype {
  std::vector<VitResnasStageGenotype> stages;

  bool operator==(const VitResnasGenotype& other) const { return stages == other.stages; }
};

// The supernet's own architecture: the largest option everywhere, every block kept.
VitResnasGenotype largest_vit_resnas_genotype(const VitResnasOptions& options);

std::string vit_resnas_short_form(const VitResnasGenotype& genotype);
// {"stages": ..., "short": ...}; a skipped block keeps its heads and MLP, so that the choices that
// made it can be rebuilt.
Json vit_resnas_genotype_json(const VitResnasGenotype& genotype);

// Reads the JSON form (with or without "short"; a skipped block may leave out heads and mlp, which
// then take the largest option, and a fixed block may leave out keep) or the short form as a JSON
// string (whose skipped blocks take the largest heads and mlp), and checks every value against
// `options`. Throws nas::Error naming the offending key, its value and what is accepted.
VitResnasGenotype parse_vit_resnas_genotype(const Json& json, const VitResnasOptions& options);

}  // namespace nas
