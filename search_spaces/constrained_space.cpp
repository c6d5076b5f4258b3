#include "search_spaces/constrained_space.hpp"

#include <limits>

namespace nas {
namespace {

std::string with_commas(std::int64_t value) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()) - 3; i > (value < 0 ? 1 : 0); i -= 3) digits.insert(i, ",");
  return digits;
}

}  // namespace

std::string Constraints::violation(const ModelSummary& summary) const {
  if (madds_max > 0 && summary.madds > madds_max)
    return with_commas(summary.madds) + " multiply-adds, over constraints.madds_max = " + with_commas(madds_max);
  if (madds_min > 0 && summary.madds < madds_min)
    return with_commas(summary.madds) + " multiply-adds, under constraints.madds_min = " + with_commas(madds_min);
  if (params_max > 0 && summary.params > params_max)
    return with_commas(summary.params) + " parameters, over constraints.params_max = " + with_commas(params_max);
  return "";
}

Constraints read_constraints(const ConfigNode& section) {
  Constraints constraints;
  constraints.madds_max = section.integer("madds_max", 0, 0);
  constraints.madds_min = section.integer("madds_min", 0, 0);
  constraints.params_max = section.integer("params_max", 0, 0);
  if (constraints.madds_max > 0 && constraints.madds_min > constraints.madds_max)
    throw section.error("madds_min", "must not exceed constraints.madds_max (" + with_commas(constraints.madds_max) +
                                         "), got " + with_commas(constraints.madds_min));
  section.finish();
  return constraints;
}

ConstrainedSpace::ConstrainedSpace(std::unique_ptr<SearchSpace> inner, Constraints constraints, TaskShape task)
    : inner_(std::move(inner)), constraints_(constraints), task_(task) {}

std::string ConstrainedSpace::violation(const Architecture& arch) const {
  return constraints_.violation(inner_->describe(arch, task_));
}

bool ConstrainedSpace::admits(const Architecture& arch) const { return violation(arch).empty(); }

Architecture ConstrainedSpace::sample(Policy& policy) const {
  std::string previous_hash, last_violation;
  int repeats = 0;
  for (int draw = 0; draw < kMaxDraws; ++draw) {
    Architecture arch = inner_->sample(policy);
    last_violation = violation(arch);
    if (last_violation.empty()) return arch;
    // Three equal draws in a row: a replaying policy, not bad luck.
    repeats = arch.hash() == previous_hash ? repeats + 1 : 0;
    if (repeats == 2) return arch;
    previous_hash = arch.hash();
  }
  throw Error("constraints", "no architecture of space '" + inner_->name() + "' within the limits came in " +
                                 std::to_string(kMaxDraws) + " draws (the last had " + last_violation +
                                 "); widen the limits");
}

Architecture ConstrainedSpace::mutate(const Architecture& parent, Rng& rng) const {
  std::string last_violation;
  for (int draw = 0; draw < kMaxDraws; ++draw) {
    Architecture child = inner_->mutate(parent, rng);
    last_violation = violation(child);
    if (last_violation.empty()) return child;
  }
  throw Error("constraints", "no mutation of " + parent.short_form() + " within the limits came in " +
                                 std::to_string(kMaxDraws) + " draws (the last had " + last_violation + ")");
}

}  // namespace nas
