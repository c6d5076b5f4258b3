#pragma once
// The trained weights of the best trials of a run, in DIR/weights/trial-<id>.pt, for `nas export`.
// Every trained trial saves its weights; after each result the files of finished trials that are not
// among the `keep` best are deleted, so the folder holds at most `keep` files plus those in training.
#include <cstdint>
#include <set>
#include <string>

namespace nas {

class SearchLog;

class KeptWeights {
 public:
  KeptWeights(std::string run_dir, int keep);
  // Where trial `trial_id` saves its weights; empty when no weights are kept.
  std::string file_for(std::int64_t trial_id) const;
  // Deletes weights (and half-written files) of every trial not training now that is not among the
  // best `keep` trials of `log` that trained (reuses of a result have no weights of their own).
  void prune(const SearchLog& log, const std::set<std::int64_t>& training) const;

  // DIR/weights/trial-<id>.pt, whether or not it exists.
  static std::string path(const std::string& run_dir, std::int64_t trial_id);
  // DIR/weights/reevaluated-trial-<id>-repeat-<r>.pt: `nas reevaluate` keeps the weights of each
  // trial's best repeat there, so that a chosen trial whose own weights were pruned still exports.
  // prune() leaves these alone.
  static std::string reevaluated_path(const std::string& run_dir, std::int64_t trial_id, int repeat);
  // DIR/weights/retrained-trial-<id>.pt: the `retrain` phase of a weight-sharing run keeps there the
  // weights of each sub-network it trains from scratch, which `nas export` then writes. prune() leaves
  // these alone too: they are the run's stand-alone results, not a search trial's.
  static std::string retrained_path(const std::string& run_dir, std::int64_t trial_id);

 private:
  std::string run_dir_;
  int keep_;
};

}  // namespace nas
