#include "core/policy.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace nas {
namespace {

std::size_t sample_prior(const Decision& decision, Rng& rng) {
  if (decision.options.empty()) throw Error(decision.key, "decision has no options");
  if (decision.prior.empty()) return rng.index(decision.options.size());
  return rng.weighted(decision.prior);
}

std::optional<std::size_t> option_index(const Decision& decision, const std::string& label) {
  auto it = std::find(decision.options.begin(), decision.options.end(), label);
  if (it == decision.options.end()) return std::nullopt;
  return static_cast<std::size_t>(it - decision.options.begin());
}

}  // namespace

std::size_t RandomPolicy::choose(const Decision& decision) { return sample_prior(decision, rng_); }

std::size_t ReplayPolicy::choose(const Decision& decision) {
  if (next_ >= choices_.size())
    throw Error(decision.key, "the recorded architecture has no choice for this decision");
  const Choice& recorded = choices_[next_++];
  if (recorded.key != decision.key)
    throw Error(decision.key, "the recorded architecture has '" + recorded.key + "' here");
  auto index = option_index(decision, recorded.label);
  if (!index) throw Error(decision.key, "'" + recorded.label + "' is not an option of this decision");
  return *index;
}

std::size_t MutationPolicy::choose(const Decision& decision) {
  const std::size_t here = next_++;
  if (here == position_) {
    const auto current = here < choices_.size() ? option_index(decision, choices_[here].label)
                                                : std::nullopt;
    if (!current || decision.options.size() < 2) return sample_prior(decision, rng_);
    // Uniform over the other options: a mutation must change the architecture.
    std::size_t pick = rng_.index(decision.options.size() - 1);
    if (pick >= *current) ++pick;
    changed_ = true;
    return pick;
  }
  if (here < choices_.size() && choices_[here].key == decision.key)
    if (auto index = option_index(decision, choices_[here].label)) return *index;
  return sample_prior(decision, rng_);
}

}  // namespace nas
