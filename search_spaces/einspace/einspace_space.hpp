#pragma once
// einspace (Ericsson et al., NeurIPS 2024): architectures derived from a probabilistic grammar over
// branching, routing and computation modules, in two modes (images and token sequences). Registered
// as "einspace"; see search_spaces/einspace/README.md for the grammar, options and where this
// follows the official code rather than the paper.
//
// Decisions: one per expansion of a grammar symbol, keyed and kinded by the symbol (S, M, B, A, P, R,
// C), offering the productions that survive the filters, with the grammar's probabilities as prior.
// Genotype: {"tree": <derivation tree, grammar/tree_json.hpp>, "short": <one-line notation>}.
#include <memory>

#include "search_spaces/einspace/einspace_grammar.hpp"
#include "search_spaces/einspace/einspace_program.hpp"
#include "search_spaces/einspace/einspace_semantics.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

class EinspaceSpace : public SearchSpace {
 public:
  // `options.input` must be set: one example's shape, which every derivation starts from.
  EinspaceSpace(EinspaceOptions options, std::int64_t classes);

  std::string name() const override { return "einspace"; }
  Architecture sample(Policy& policy) const override;
  Architecture replay(const std::vector<Choice>& choices) const override;
  Architecture mutate(const Architecture& parent, Rng& rng) const override;
  Architecture from_genotype(const Json& genotype) const override;
  std::vector<DecisionKind> decision_kinds() const override;
  std::vector<std::string> named_architectures() const override;
  Architecture named(const std::string& name) const override;

  ModelSummary describe(const Architecture& arch, const TaskShape& task) const override;
  std::shared_ptr<Network> build(const Architecture& arch, const TaskShape& task) const override;

  const EinspaceOptions& options() const { return options_; }
  // The derivation tree of an architecture of this space, contexts inferred.
  std::unique_ptr<EinNode> tree_of(const Architecture& arch) const;
  EinProgram program_of(const Architecture& arch, const TaskShape& task) const;

 private:
  Architecture make_architecture(const EinNode& root) const;
  std::unique_ptr<EinNode> read_tree(const Json& tree, const std::string& where) const;
  bool within_caps(const EinNode& root) const;
  EinContext root_context() const;

  EinspaceOptions options_;
  std::int64_t classes_;
  EinspaceGrammar grammar_;
  EinSemantics semantics_;
};

}  // namespace nas
