#pragma once
// What Auto-GNN's conservative explorer climbs from: the best architecture so far, and (with
// `confirmations` > 0) the children waiting to prove that they beat it.
//
// Auto-GNN replaces the best as soon as one training of a child validates higher. On Cora one
// training moves by about 2 points from seed to seed, so a lucky training ends the climb: nothing
// that follows beats it (in one search a trial at 0.834 that averages 0.807 over 20 trainings held
// the best for the last 152 trials). With confirmations, an architecture's score is the mean of its
// trainings in this run; a child whose score beats the best is trained `confirmations` more times
// (each from its own trial seed) and replaces the best only if its mean, over all of them, still
// beats the best's. With 0 it is Auto-GNN's rule exactly.
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/decision.hpp"
#include "core/json.hpp"

namespace nas::rl {

// An architecture as the climb keeps it: its choices (to replay) and its hash (to recognise it).
struct ClimbArchitecture {
  std::vector<Choice> choices;
  std::string hash;
};

class ConservativeClimb {
 public:
  explicit ConservativeClimb(int confirmations) : confirmations_(confirmations) {}

  // A finished trial. `trained` is false for a result the run reused from an earlier trial of the
  // same architecture: it adds no training, but the architecture is judged again. `done` is false
  // for a failed trial; a failed confirmation counts as a training at accuracy 0, so that an
  // architecture that cannot train reliably never replaces the best.
  void observe(const ClimbArchitecture& arch, bool done, bool trained, double val_accuracy);

  // The best architecture so far (null before the first one that qualifies) and its score, the mean
  // of its trainings (only while there is a best).
  const ClimbArchitecture* best() const { return best_ ? &*best_ : nullptr; }
  double best_score() const { return score_of(best_->hash); }

  // The next confirmation to propose, if one is due; it is then outstanding until observed. A child
  // is due only while it can still replace the best: a new best drops those it overtakes.
  std::optional<ClimbArchitecture> take_confirmation();
  // Whether a proposal of this architecture is a confirmation still out with a worker: the run must
  // train it again instead of reusing the earlier result.
  bool confirming(const std::string& hash) const { return confirming_.count(hash) > 0; }

  // The checkpoint, in two parts: `best` ({choices, hash, val_accuracy}, or null), as runs saved it
  // before confirmations existed, and the rest (null restores an empty one, as such runs had).
  Json best_state() const;
  Json state() const;
  void restore(const Json& best, const Json& climb);

 private:
  double score_of(const std::string& hash) const;
  std::size_t confirmations_out(const std::string& hash) const;

  int confirmations_;
  std::optional<ClimbArchitecture> best_;  // its score is derived from trainings_, never stored apart
  std::map<std::string, std::vector<double>> trainings_;  // hash -> validation accuracy of each training
  std::deque<ClimbArchitecture> due_;                     // confirmations to propose, in order
  std::multiset<std::string> confirming_;                 // confirmations proposed, not yet observed
};

}  // namespace nas::rl
