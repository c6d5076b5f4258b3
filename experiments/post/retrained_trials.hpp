#pragma once
// What the `retrain` phase of a weight-sharing run recorded in its phase state (retrain_phase.cpp): the
// sub-networks it trained from scratch, whose weights it keeps (KeptWeights::retrained_path), for
// `nas export` to choose among and to describe. No torch here.
#include <cstdint>
#include <vector>

namespace nas {

class SearchLog;

constexpr const char* kRetrainPhase = "retrain";

// One sub-network the phase trained from scratch successfully.
struct RetrainedTrial {
  std::int64_t trial_id = 0;
  double val_accuracy = 0;  // stand-alone, after the training
  double val_loss = 0;
  double inherited_val_accuracy = 0;  // the search's score with the supernet's weights
  double train_seconds = 0;
  // The training as the phase recorded it; 0 epochs: not recorded (a log written before nas kept
  // retrained weights).
  std::int64_t epochs = 0;
  std::int64_t max_steps = 0;  // 0: no cap
};

struct RetrainedTrials {
  bool phase_done = false;             // the phase ran to its end (PhaseStatus::done)
  std::vector<RetrainedTrial> trials;  // its successful trainings, in the order it trained them

  // The best stand-alone validation accuracy (ties: the one trained first, whose inherited score was
  // higher); null when none.
  const RetrainedTrial* best() const;
  // Null when the phase did not retrain `trial_id` successfully.
  const RetrainedTrial* find(std::int64_t trial_id) const;
};

// Reads the log's retrain phase; empty (phase_done false, no trials) when the run has none.
RetrainedTrials read_retrained_trials(const SearchLog& log);

}  // namespace nas
