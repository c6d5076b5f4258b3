#pragma once
// A search space restricted to the architectures that meet a run's constraints (the `constraints:`
// section: multiply-add and parameter limits for the task searched). It wraps the space the
// experiment names and resamples what the inner space samples or mutates until it fits, as the
// ViT-ResNAS search resamples every candidate until its MACs fit; so every controller that draws
// through the space (random, both evolutions, RL) proposes only admitted architectures, and
// controllers that combine architectures themselves (crossover) ask admits(). The search phase
// still checks each proposal, and records one outside the limits as failed without scoring it.
//
// `constraints:` keys (0 = no limit): madds_max, madds_min, params_max.
#include <cstdint>
#include <memory>
#include <string>

#include "core/config_node.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

struct Constraints {
  std::int64_t madds_max = 0;
  std::int64_t madds_min = 0;
  std::int64_t params_max = 0;
  bool any() const { return madds_max > 0 || madds_min > 0 || params_max > 0; }
  // Why `summary` falls outside, e.g. "1,900,000 multiply-adds, over constraints.madds_max = 1,794,000";
  // empty when it fits.
  std::string violation(const ModelSummary& summary) const;
};

// Reads and checks the section's keys and finishes it.
Constraints read_constraints(const ConfigNode& section);

class ConstrainedSpace : public SearchSpace {
 public:
  // Draws per sample or mutation before giving up with an error that names the constraint.
  static constexpr int kMaxDraws = 2000;

  ConstrainedSpace(std::unique_ptr<SearchSpace> inner, Constraints constraints, TaskShape task);

  const SearchSpace& inner() const { return *inner_; }
  const Constraints& constraints() const { return constraints_; }

  std::string name() const override { return inner_->name(); }
  // Draws from the inner space until an admitted architecture comes. A policy that gives the same
  // refused architecture three times in a row replays it (a seed, a recorded sequence): it is returned as
  // it is, for the run to record as outside the constraints.
  Architecture sample(Policy& policy) const override;
  Architecture mutate(const Architecture& parent, Rng& rng) const override;
  Architecture replay(const std::vector<Choice>& choices) const override { return inner_->replay(choices); }
  Architecture from_genotype(const Json& genotype) const override { return inner_->from_genotype(genotype); }
  std::vector<DecisionKind> decision_kinds() const override { return inner_->decision_kinds(); }
  std::vector<std::string> named_architectures() const override { return inner_->named_architectures(); }
  Architecture named(const std::string& name) const override { return inner_->named(name); }
  ModelSummary describe(const Architecture& arch, const TaskShape& task) const override {
    return inner_->describe(arch, task);
  }
  std::shared_ptr<Network> build(const Architecture& arch, const TaskShape& task) const override {
    return inner_->build(arch, task);
  }
  std::shared_ptr<Supernet> build_supernet(const TaskShape& task) const override {
    return inner_->build_supernet(task);
  }
  bool offers_supernet() const override { return inner_->offers_supernet(); }
  bool admits(const Architecture& arch) const override;
  // Why `arch` is not admitted; empty when it is.
  std::string violation(const Architecture& arch) const;

 private:
  std::unique_ptr<SearchSpace> inner_;
  Constraints constraints_;
  TaskShape task_;
};

}  // namespace nas
