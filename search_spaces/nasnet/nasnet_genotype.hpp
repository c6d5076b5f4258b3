#pragma once
// The NASNet genotype: for each of the two cell types, B blocks of (two inputs, two ops, a combine)
// and the states the cell concatenates as its output. State k of a cell: s0 = the previous cell's
// output h_i, s1 = the one before it h_{i-1}, s{k+2} = the output of block k.
//
// JSON form: {"normal": [{"inputs": ["s0", "s1"], "ops": ["sep_conv_5x5", "sep_conv_3x3"],
// "combine": "add"}, ...], "reduction": [...], "short": "<one line>"}, plus "normal_concat" /
// "reduction_concat" (lists of state names) only where a cell's output is not the default of every
// state no block consumes (NASNet-A's fixed concat masks).
#include <array>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "search_spaces/nasnet/nasnet_options.hpp"

namespace nas {

enum CellKind { kNormalCell = 0, kReductionCell = 1 };
// "normal", "reduction": decision-key prefixes and genotype keys, in decision order.
const std::array<std::string, 2>& nasnet_cell_names();

struct NasnetBlock {
  std::array<int, 2> inputs{};          // state indices
  std::array<std::string, 2> ops;       // op labels
  std::string combine;                  // "add" or "concat"
};

struct NasnetCellGenotype {
  std::vector<NasnetBlock> blocks;
  std::vector<int> concat;  // output states in increasing order; never empty

  bool operator==(const NasnetCellGenotype& other) const;
};

struct NasnetGenotype {
  std::array<NasnetCellGenotype, 2> cells;  // indexed by CellKind
};

std::string nasnet_state_name(int state);
// s0, s1, ..., s{block+1}: the states block `block` may read.
std::vector<std::string> nasnet_input_options(int block);
// Every state that no block of `blocks` reads, in increasing order: a sampled cell's output.
std::vector<int> nasnet_unused_states(const std::vector<NasnetBlock>& blocks);

// Checks `json` against the space's options (block count, op and combine lists) and throws nas::Error
// naming the offending entry, e.g. "genotype.reduction[3].ops[0]".
NasnetGenotype parse_nasnet_genotype(const Json& json, const NasnetOptions& options);
Json nasnet_genotype_json(const NasnetGenotype& genotype);
// E.g. "N[sep5(s0)+sep3(s1) ...] R[...]"; a non-default output is appended as "->s3,s4".
std::string nasnet_short_form(const NasnetGenotype& genotype);

}  // namespace nas
