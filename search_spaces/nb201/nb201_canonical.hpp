#pragma once
#include <string>

#include "search_spaces/nb201/nb201_genotype.hpp"

namespace nas {

// A string equal for two cells that NAS-Bench-201 counts as the same (isomorphic) cell: the
// benchmark's definition (NATS-Bench's Structure.to_unique_str(consider_zero=True), in
// D-X-Y/AutoDL-Projects xautodl/models/cell_searchs/genotypes.py), under which the 15,625 cells make
// 6,466 unique ones, as NATS-Bench reports.
//
// Each node is written as the expression that computes it from the cell input "0": the sorted sum
// ('+' commutes) of one term per incoming edge, where
//   - none, and any op applied to a node written as a lone zero "#", is the zero term "#";
//   - skip_connect passes its source's expression on unchanged;
//   - any other op is "(source)@op".
// The cell is its output node's expression. So operand order, edges that only add zeros, identities
// and dead branches off node 1 do not tell cells apart. The definition is the benchmark's, not an
// exact test of equal functions, in two ways: a conv applied to an all-zero node 1 counts as zero
// though its BatchNorm adds a learned shift, and a node that sums several zero terms ("#+#") is not
// simplified to zero, so cells that differ only beyond it stay apart.
std::string nb201_canonical(const Nb201Genotype& genotype);

}  // namespace nas
