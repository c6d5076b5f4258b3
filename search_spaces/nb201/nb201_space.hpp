#pragma once
// The NAS-Bench-201 search space (Dong & Yang, ICLR 2020): one cell of 6 edges, each one of 5 ops,
// repeated through a fixed network (search_spaces/nb201/nb201_plan.hpp). Registered as "nb201".
//
// Decisions, one per edge in the benchmark's order: edge/0-1, edge/0-2, edge/1-2, edge/0-3, edge/1-3,
// edge/2-3, all of kind "edge", each offering the configured ops.
//
// Genotype: the benchmark's arch string, e.g. "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+
// |skip_connect~0|nor_conv_3x3~1|skip_connect~2|", which is also the short form. As JSON:
// {"edges": {"0-1": "nor_conv_3x3", "0-2": ..., "2-3": ...}, "short": "<the arch string>"};
// from_genotype accepts that object (with or without "short") or the arch string as a JSON string.
#include "search_spaces/nb201/nb201_genotype.hpp"
#include "search_spaces/nb201/nb201_options.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

class Nb201Space : public SearchSpace {
 public:
  explicit Nb201Space(Nb201Options options);

  std::string name() const override { return "nb201"; }
  const Nb201Options& options() const { return options_; }

  Architecture sample(Policy& policy) const override;
  Architecture from_genotype(const Json& genotype) const override;
  std::vector<DecisionKind> decision_kinds() const override;

  ModelSummary describe(const Architecture& arch, const TaskShape& task) const override;
  std::shared_ptr<Network> build(const Architecture& arch, const TaskShape& task) const override;

  // The single-path one-shot supernet (search_spaces/nb201/nb201_supernet.hpp) of these options for
  // `task`; throws nas::Error for the tasks build() refuses. Declared here against the forward
  // declaration of Supernet, so this header stays free of torch.
  std::shared_ptr<Supernet> build_supernet(const TaskShape& task) const override;
  bool offers_supernet() const override { return true; }

  // The cell of an architecture of this space, read from its choices (cheap enough for a table
  // lookup per trial). Throws nas::Error for an architecture of another space.
  Nb201Genotype genotype_of(const Architecture& arch) const;

 private:
  Architecture make_architecture(std::vector<Choice> choices, const Nb201Genotype& genotype) const;
  Nb201Genotype parse_genotype_json(const Json& json) const;

  Nb201Options options_;
};

}  // namespace nas
