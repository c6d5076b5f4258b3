#pragma once
// The one-line form of an einspace architecture, close to the paper's notation:
//   seq(a, b, c)                        sequential modules (nesting flattened: it is associative)
//   branch[clone2](x | y)[add]          branching: B, the inner modules, A (b > 2: one module, copied)
//   route[im2col(3,1,1)](x)[col2im]     routing: P, the inner module, R
//   linear64                            a computation module: its terminal
// Two trees with the same form build the same network, so the form is also the canonical key.
#include <string>

#include "search_spaces/einspace/einspace_semantics.hpp"

namespace nas {

std::string einspace_notation(const EinspaceGrammar& grammar, const EinNode& node);

}  // namespace nas
