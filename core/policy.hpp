#pragma once
// A Policy picks an option for each Decision a search space asks about. The same walk through a space
// serves random sampling, replaying a recorded architecture, mutation and (later) an LSTM policy.
#include <optional>
#include <vector>

#include "core/decision.hpp"
#include "core/rng.hpp"

namespace nas {

class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::size_t choose(const Decision& decision) = 0;
};

// Samples each decision from its prior.
class RandomPolicy : public Policy {
 public:
  explicit RandomPolicy(Rng& rng) : rng_(rng) {}
  std::size_t choose(const Decision& decision) override;

 private:
  Rng& rng_;
};

// Re-derives an architecture from recorded choices. Fails if a recorded key or label no longer fits.
class ReplayPolicy : public Policy {
 public:
  explicit ReplayPolicy(std::vector<Choice> choices) : choices_(std::move(choices)) {}
  std::size_t choose(const Decision& decision) override;
  bool finished() const { return next_ == choices_.size(); }

 private:
  std::vector<Choice> choices_;
  std::size_t next_ = 0;
};

// Replays recorded choices but re-draws decision number `position` to a different option. Decisions
// after it replay where the recorded label is still an option (spaces whose later decisions depend on
// earlier ones), and are sampled otherwise.
class MutationPolicy : public Policy {
 public:
  MutationPolicy(std::vector<Choice> choices, std::size_t position, Rng& rng)
      : choices_(std::move(choices)), position_(position), rng_(rng) {}
  std::size_t choose(const Decision& decision) override;
  // False when the re-drawn decision had a single option, so nothing changed.
  bool changed() const { return changed_; }

 private:
  std::vector<Choice> choices_;
  std::size_t position_;
  Rng& rng_;
  std::size_t next_ = 0;
  bool changed_ = false;
};

}  // namespace nas
