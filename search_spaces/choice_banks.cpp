#include "search_spaces/choice_banks.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

std::size_t enabled_bank_entries(std::size_t n, int epoch, int warmup_epochs) {
  if (n == 0) return 0;
  if (warmup_epochs <= 0) return n;
  const auto grown = 1 + static_cast<std::size_t>(std::max(epoch, 0)) * (n - 1) /
                             static_cast<std::size_t>(warmup_epochs);
  return std::min(grown, n);
}

std::vector<std::size_t> draw_from_bank(const std::vector<std::size_t>& bank, std::size_t groups, int epoch,
                                        int warmup_epochs, Rng& rng) {
  if (bank.empty()) throw Error("", "a choice bank needs at least one option");
  const std::size_t enabled = enabled_bank_entries(bank.size(), epoch, warmup_epochs);
  const std::size_t cycles = (groups + enabled - 1) / enabled;
  std::vector<std::size_t> cyclic;
  cyclic.reserve(cycles * enabled);
  for (std::size_t c = 0; c < cycles; ++c) cyclic.insert(cyclic.end(), bank.begin(), bank.begin() + enabled);
  // Fisher-Yates with our own engine: std::shuffle's draws differ between standard libraries, and a
  // supernet resumed on another machine must draw the same groups.
  for (std::size_t i = cyclic.size(); i > 1; --i) std::swap(cyclic[i - 1], cyclic[rng.index(i)]);
  cyclic.resize(groups);
  return cyclic;
}

namespace {

// Hands group `group` its share of each decision's draws, drawing a decision's banks the first time
// any group meets it.
class BankPolicy : public Policy {
 public:
  BankPolicy(std::map<std::string, std::vector<std::size_t>>& draws, std::size_t group, std::size_t groups,
             int epoch, int warmup_epochs, Rng& rng, const BankOfDecision& bank_of)
      : draws_(draws), group_(group), groups_(groups), epoch_(epoch), warmup_(warmup_epochs), rng_(rng),
        bank_of_(bank_of) {}

  std::size_t choose(const Decision& decision) override {
    auto found = draws_.find(decision.key);
    if (found == draws_.end()) {
      std::vector<std::size_t> bank;
      if (bank_of_) {
        bank = bank_of_(decision);
      } else {
        bank.resize(decision.options.size());
        std::iota(bank.begin(), bank.end(), std::size_t{0});
      }
      for (std::size_t index : bank)
        if (index >= decision.options.size())
          throw Error(decision.key, "choice bank names option " + std::to_string(index) + " of " +
                                        std::to_string(decision.options.size()));
      found = draws_.emplace(decision.key, draw_from_bank(bank, groups_, epoch_, warmup_, rng_)).first;
    }
    return found->second[group_];
  }

 private:
  std::map<std::string, std::vector<std::size_t>>& draws_;
  std::size_t group_, groups_;
  int epoch_, warmup_;
  Rng& rng_;
  const BankOfDecision& bank_of_;
};

}  // namespace

std::vector<Architecture> sample_group_architectures(const SearchSpace& space, std::size_t groups, int epoch,
                                                     int warmup_epochs, Rng& rng, const BankOfDecision& bank_of) {
  if (groups == 0) throw Error("", "multi-architecture sampling needs at least one group");
  std::map<std::string, std::vector<std::size_t>> draws;
  std::vector<Architecture> archs;
  archs.reserve(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    BankPolicy policy(draws, g, groups, epoch, warmup_epochs, rng, bank_of);
    archs.push_back(space.sample(policy));
  }
  return archs;
}

}  // namespace nas
