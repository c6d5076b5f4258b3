#pragma once
// The Auto-GNN / GraphNAS macro search space (Gao et al. 2020; Zhou et al. 2019): a stack of
// message-passing layers, each choosing an attention function, an aggregator, an activation, a head
// count and units per head. Registered as "autognn".
//
// Decisions, per layer l in order: layer<l>/attention, layer<l>/aggregator, layer<l>/activation,
// layer<l>/heads, layer<l>/units (not in the last layer, whose width is the class count), of the kinds
// attention, aggregator, activation, heads and units. Genotype: search_spaces/autognn/autognn_genotype.hpp.
// Built for a task whose `channels` are the node features and `classes` the classes.
#include "search_spaces/autognn/autognn_genotype.hpp"
#include "search_spaces/autognn/autognn_options.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

class AutognnSpace : public SearchSpace {
 public:
  explicit AutognnSpace(AutognnOptions options);

  std::string name() const override { return "autognn"; }
  const AutognnOptions& options() const { return options_; }

  Architecture sample(Policy& policy) const override;
  Architecture from_genotype(const Json& genotype) const override;
  std::vector<DecisionKind> decision_kinds() const override;
  // "gat": GAT's Cora network (gat sum elu 8x8 | gat sum linear 1xC); "graphnas-cora": the
  // architecture GraphNAS reports for Cora. Both need a 2-layer space offering their labels.
  std::vector<std::string> named_architectures() const override;
  Architecture named(const std::string& name) const override;

  ModelSummary describe(const Architecture& arch, const TaskShape& task) const override;
  std::shared_ptr<Network> build(const Architecture& arch, const TaskShape& task) const override;

  // The genotype of an architecture of this space (nas::Error for another space's).
  AutognnGenotype genotype_of(const Architecture& arch) const;

 private:
  AutognnOptions options_;
};

}  // namespace nas
