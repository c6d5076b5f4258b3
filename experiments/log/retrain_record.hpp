#pragma once
// What the `retrain` phase of a weight-sharing run records in its phase state
// (experiments/post/retrain_phase.cpp writes it): each sub-network it trained from scratch, with the
// accuracy it scored with inherited weights beside its stand-alone one. The one codec of that state:
// the phase checkpoints and resumes with it, `nas export` chooses among its trainings (whose weights
// KeptWeights::retrained_path keeps), `nas inspect`, the HTML report and the benchmarks show it.
// No torch here.
//
// State: {"retrained": [{"trial", "seed", "inherited_val_accuracy", "epochs", "max_steps", "status"
//          ("done" or "failed"), "val_accuracy", "val_loss", "params", "train_seconds" (done), "error"
//          (failed)}...]}. The Kendall tau is not stored: it follows from the entries.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace nas {

class SearchLog;

constexpr const char* kRetrainPhase = "retrain";

// One sub-network the phase trained from scratch.
struct RetrainedTrial {
  std::int64_t trial_id = 0;
  std::uint64_t seed = 0;
  double inherited_val_accuracy = 0;  // the search's score with the supernet's weights
  // The training as the phase ran it; 0 epochs: not recorded (a log written before nas recorded it).
  std::int64_t epochs = 0;
  std::int64_t max_steps = 0;  // 0: no cap
  bool done = false;           // false: the training failed, for `error`
  double val_accuracy = 0;     // stand-alone, after the training
  double val_loss = 0;
  std::int64_t params = 0;
  double train_seconds = 0;
  std::string error;

  Json to_json() const;
};

struct RetrainedTrials {
  bool phase_done = false;             // the phase ran to its end (PhaseStatus::done)
  std::vector<RetrainedTrial> trials;  // in the order it trained them, failed ones included

  // The done training with the best stand-alone validation accuracy (ties: the one trained first,
  // whose inherited score was higher); null when none.
  const RetrainedTrial* best() const;
  // The done training of `trial_id`; null when the phase did not retrain it successfully.
  const RetrainedTrial* find(std::int64_t trial_id) const;
  // Kendall's tau between the inherited and the stand-alone validation accuracy of the done trainings;
  // nothing for fewer than two (or all equal).
  std::optional<double> kendall_tau() const;
  // The phase's checkpoint.
  Json state() const;
};

// The entries of a retrain phase's state; entries of another shape (a log edited by hand) are left out.
RetrainedTrials retrained_trials_from_state(const Json& state);
// The log's retrain phase; empty (phase_done false, no trials) when the run has none.
RetrainedTrials read_retrained_trials(const SearchLog& log);

// The table of inherited against stand-alone accuracy and the tau line, as `nas run` and `nas inspect`
// print it; empty when nothing was retrained.
std::string retrained_trials_text(const RetrainedTrials& retrained);

}  // namespace nas
