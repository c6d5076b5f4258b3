#pragma once
// What the einspace grammar means: the context each node is derived in, what it passes up, the
// validity filters and analytic shape inference. No tensor is made to learn a shape.
#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "grammar/derivation_tree.hpp"
#include "search_spaces/einspace/einspace_grammar.hpp"
#include "search_spaces/einspace/einspace_shape.hpp"

namespace nas {

struct EinContext {
  EinShape input;
  EinShape other;    // A: the second operand (`input` is the first)
  int branches = 0;  // A: the b of the branching module's B
  std::int64_t fold_h = 0, fold_w = 0;  // R: the grid of the same routing module's im2col (col2im needs it)
};

struct EinResult {
  EinShape output;
  std::int64_t params = 0;              // of the subtree (a b > 2 branch counts its b copies)
  std::int64_t operations = 0;          // terminals in the built subtree, copies counted
  int branches = 0;                     // B: its b
  std::int64_t fold_h = 0, fold_w = 0;  // P: the grid an im2col produced
};

using EinNode = grammar::DerivationNode<EinContext, EinResult>;

// What one terminal makes of its context, or nullopt where it does not apply (the filters of the
// paper and code: modes, divisibility, matching operand shapes, kernel sizes, col2im's grid) or where
// it breaks the caps (zero-size or over-large tensors, too many parameters).
// `drawing` adds the rule that only shapes sampling: no im2col kernel larger than the image (the
// code's filter; a given tree, like the ResNet seed's 3x3 convolutions on 2x2 maps, may have one).
std::optional<EinResult> einspace_terminal_result(const EinTerminal& terminal, const EinContext& context,
                                                  const EinspaceOptions& options, bool drawing = true);

class EinSemantics {
 public:
  using Context = EinContext;
  using Result = EinResult;
  using Node = EinNode;

  EinSemantics(const EinspaceGrammar& grammar, const EinspaceOptions& options) : grammar_(grammar), options_(options) {}

  void filter(int symbol, const EinContext& context, int depth, bool drawing, std::vector<char>& allowed) const;
  std::size_t instances(const EinNode& node, std::size_t rhs) const;
  EinContext child_context(const EinNode& node, std::size_t rhs) const;
  bool synthesize(EinNode& node) const;

 private:
  // The filters of a terminal symbol depend on nothing but the symbol and the context, and the same
  // few hundred contexts come back again and again (every linear at 64x32x32 asks the same question):
  // their outcome is remembered, as a mask of the surviving productions. A derivation is mostly these
  // checks, about a dozen shape inferences per node, so this is what makes sampling fast.
  using FilterKey = std::array<std::int64_t, 12>;
  struct FilterKeyHash {
    std::size_t operator()(const FilterKey& key) const;
  };
  static FilterKey filter_key(int symbol, const EinContext& context, bool drawing);
  std::uint32_t surviving(int symbol, const EinContext& context, bool drawing) const;

  const EinspaceGrammar& grammar_;
  const EinspaceOptions& options_;
  mutable std::mutex filter_mutex_;  // spaces are shared by the threads that sample them
  mutable std::unordered_map<FilterKey, std::uint32_t, FilterKeyHash> filter_memo_;
};

}  // namespace nas
