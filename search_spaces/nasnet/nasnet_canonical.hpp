#pragma once
#include <string>

#include "search_spaces/nasnet/nasnet_genotype.hpp"

namespace nas {

// A string equal for two genotypes exactly when they build the same network up to a permutation of
// channels (such a permutation changes neither what the network can compute nor the distribution
// of its initial weights). Each state is written as the expression that computes it from the cell
// inputs s0 and s1; the operands of both combines are sorted (add commutes; concat commutes up to a
// channel permutation, which every consumer absorbs), and the output is the sorted multiset of the
// concatenated states' expressions. So swapping a block's operands, renumbering blocks that do not
// depend on each other, and listing the output states in another order all give the same string,
// while any change of an op, an input, a combine or the output set gives a different one.
std::string nasnet_canonical(const NasnetGenotype& genotype);

}  // namespace nas
