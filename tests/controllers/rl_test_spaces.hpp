#pragma once
// Toy spaces with decision kinds, for the rl controller's tests.
#include "../support/toy_space.hpp"

namespace nas::testing {

// `decisions` decisions of one kind "op", each offering all of its `options` labels o0, o1, ...
inline ListedToySpace kinded_toy_space(int decisions, int options) {
  return ListedToySpace("kinded-toy", {DecisionKind{"op", toy_labels(options)}},
                        uniform_toy_decisions(decisions, options, "op"));
}

// Two kinds; most decisions offer a strict subset of their kind's options, in another order.
inline ListedToySpace masked_toy_space() {
  return ListedToySpace(
      "masked-toy", {DecisionKind{"op", toy_labels(6)}, DecisionKind{"combine", {"add", "concat"}}},
      {ToyDecision{"a/op", "op", {"o5", "o1", "o3"}}, ToyDecision{"a/combine", "combine", {"add", "concat"}},
       ToyDecision{"b/op", "op", {"o0", "o2"}}, ToyDecision{"b/combine", "combine", {"concat"}},
       ToyDecision{"c/op", "op", {"o4", "o2", "o0", "o5"}}});
}

}  // namespace nas::testing
