#include "experiments/run/seed_verdict.hpp"

#include <iomanip>
#include <map>
#include <optional>
#include <sstream>

#include "experiments/log/search_log.hpp"

namespace nas {
namespace {

std::string accuracy_text(double value) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(4) << value;
  return text.str();
}

}  // namespace

std::string seed_verdict(const std::vector<SeedArchitecture>& seeds, const SearchLog& log) {
  if (seeds.empty()) return "";
  std::map<std::string, std::string> seed_names;  // hash -> name(s)
  for (const auto& seed : seeds) {
    std::string& names = seed_names[seed.arch.hash()];
    names += (names.empty() ? "" : "/") + seed.name;
  }
  // The best trained trial of any seed, and the best trial of anything else. A reused result counts
  // as the trial that trained it, so the ids named are the ones whose weights and logs exist.
  std::optional<TrialRow> best_seed, best_other;
  for (const TrialRow& row : log.trials()) {
    if (row.status != TrialStatus::done || row.reused_from >= 0) continue;
    std::optional<TrialRow>& best = seed_names.count(row.arch_hash) ? best_seed : best_other;
    if (!best || row.metrics->val_accuracy > best->metrics->val_accuracy) best = row;
  }
  if (!best_seed) {
    std::string names;
    for (const auto& seed : seeds) names += (names.empty() ? "" : ", ") + seed.name;
    return "no seed (" + names + ") trained successfully, so there is nothing to compare against";
  }
  const double seed_accuracy = best_seed->metrics->val_accuracy;
  const std::string seed_text = "seed " + seed_names.at(best_seed->arch_hash) + " (trial " +
                                std::to_string(best_seed->id) + ", val_accuracy " + accuracy_text(seed_accuracy) + ")";
  if (best_other && best_other->metrics->val_accuracy > seed_accuracy)
    return "trial " + std::to_string(best_other->id) + " (val_accuracy " +
           accuracy_text(best_other->metrics->val_accuracy) + ") beat " + seed_text + " by " +
           accuracy_text(best_other->metrics->val_accuracy - seed_accuracy);
  if (!best_other) return "no trial beat " + seed_text + "; no other architecture trained successfully";
  return "no trial beat " + seed_text + "; the best other trial, " + std::to_string(best_other->id) + ", reached " +
         accuracy_text(best_other->metrics->val_accuracy);
}

}  // namespace nas
