#pragma once
// The ViT-ResNAS search space (Liao, Karaman & Sze 2021, arXiv 2109.00642; official code
// yilunliao/vit-search): a vision transformer of 3 stages with residual spatial reductions between
// them, searched by width per stage and by heads, MLP width and depth per block. Registered as
// "vit_resnas"; its options are in vit_resnas_options.hpp, its genotype in vit_resnas_genotype.hpp.
//
// Decisions, stage by stage (s and b count from 1), each listing its options largest first, so that
// option 0 is the supernet's own:
//   stage{s}/embed                       the stage's embedding width        kind "stage{s}/embed"
//   then per block b of the stage:
//   stage{s}/block{b}/heads              attention heads (of the stage's    kind "stage{s}/heads"
//                                        fixed head_dim)
//   stage{s}/block{b}/mlp                MLP hidden units                   kind "stage{s}/mlp"
//   stage{s}/block{b}/keep               "keep" or "skip", skippable blocks kind "keep"
//                                        only
// Labels are the numbers as text. A skipped block's heads and MLP are still asked, so that every
// architecture makes the same decisions; its canonical string (the genotype's short form) ignores
// them, so architectures that differ only there hash alike. mutate() re-draws until the canonical
// string changes.
//
// Weight sharing: build_supernet() gives a VitResnasSupernet (vit_resnas_supernet.hpp).
#include "search_spaces/search_space.hpp"
#include "search_spaces/vit_resnas/vit_resnas_genotype.hpp"
#include "search_spaces/vit_resnas/vit_resnas_options.hpp"

namespace nas {

class VitResnasSpace : public SearchSpace {
 public:
  explicit VitResnasSpace(VitResnasOptions options);

  std::string name() const override { return "vit_resnas"; }
  const VitResnasOptions& options() const { return options_; }

  Architecture sample(Policy& policy) const override;
  Architecture mutate(const Architecture& parent, Rng& rng) const override;
  Architecture from_genotype(const Json& genotype) const override;
  std::vector<DecisionKind> decision_kinds() const override;

  std::vector<std::string> named_architectures() const override;
  Architecture named(const std::string& name) const override;

  ModelSummary describe(const Architecture& arch, const TaskShape& task) const override;
  std::shared_ptr<Network> build(const Architecture& arch, const TaskShape& task) const override;
  std::shared_ptr<Supernet> build_supernet(const TaskShape& task) const override;
  bool offers_supernet() const override { return true; }

  // The genotype of an architecture of this space, read from its choices. Throws nas::Error for an
  // architecture of another space or whose choices this space does not make.
  VitResnasGenotype genotype_of(const Architecture& arch) const;
  // The architecture of a genotype (already checked against the options).
  Architecture architecture_of(const VitResnasGenotype& genotype) const;

 private:
  // Asks `policy` every decision; the choices and the genotype they make.
  std::pair<std::vector<Choice>, VitResnasGenotype> walk(Policy& policy) const;

  VitResnasOptions options_;
};

}  // namespace nas
