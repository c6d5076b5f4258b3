#pragma once
// The genes of a recorded architecture, looked up by decision key while a policy walks a space: what
// the gene-level policies (gene_mutation_policy.hpp, crossover_policy.hpp) share. Matching by key
// rather than by position keeps them generic over spaces whose later decisions depend on earlier
// ones (einspace): a decision the recorded architecture never asked is simply not found.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/decision.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"

namespace nas {

class RecordedGenes {
 public:
  explicit RecordedGenes(const std::vector<Choice>& choices) {
    for (const auto& choice : choices) labels_[choice.key].push_back(choice.label);
  }

  // The label recorded for the next occurrence of `key`: a space that asks one key twice is matched
  // occurrence by occurrence, in order. Call it once per decision asked. Null when none is recorded.
  const std::string* next(const std::string& key) {
    const std::size_t occurrence = asked_[key]++;
    const auto found = labels_.find(key);
    if (found == labels_.end() || occurrence >= found->second.size()) return nullptr;
    return &found->second[occurrence];
  }

  // Whether `key`, asked now, opens a new walk through the space rather than continuing this one: a
  // space's first decision comes before any choice, so every walk opens with the same key, and a walk
  // asks it again only in a space that repeats keys, as often as the recorded architecture did.
  // (A wrapped space re-walks the same policy until it admits the result: search_spaces'
  // ConstrainedSpace::sample, as ViT-ResNAS resamples every candidate until its MACs fit.)
  bool opens_new_walk(const std::string& key) {
    if (!first_key_) {
      first_key_ = key;
      return false;
    }
    if (key != *first_key_) return false;
    const auto found = labels_.find(key);
    const std::size_t recorded = found == labels_.end() ? 0 : found->second.size();
    return asked_[key] >= std::max<std::size_t>(recorded, 1);
  }
  // Starts matching from the first occurrence of every key again.
  void restart() { asked_.clear(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> labels_;
  std::unordered_map<std::string, std::size_t> asked_;
  std::optional<std::string> first_key_;
};

// Where `label` is among `decision`'s options; nullopt when it is not (or `label` is null).
inline std::optional<std::size_t> gene_option(const Decision& decision, const std::string* label) {
  if (!label) return std::nullopt;
  for (std::size_t i = 0; i < decision.options.size(); ++i)
    if (decision.options[i] == *label) return i;
  return std::nullopt;
}

// An option drawn from the decision's prior (uniform when it has none), as RandomPolicy draws.
inline std::size_t draw_from_prior(const Decision& decision, Rng& rng) {
  if (decision.options.empty()) throw Error(decision.key, "decision has no options");
  if (decision.prior.empty()) return rng.index(decision.options.size());
  return rng.weighted(decision.prior);
}

}  // namespace nas
