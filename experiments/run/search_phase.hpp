#pragma once
// The `search` phase: the controller proposes, the log records the trial, the trial runner trains it,
// the log records the result with the controller's state (and the shared weights that changed) in
// one transaction, the controller observes it. It continues from the log alone: the controller from
// its last checkpoint; trials proposed before that checkpoint but unfinished run again as stored, and
// those proposed after it are forgotten and proposed again by the restored controller, which proposes
// them identically. So a search killed at any moment and resumed goes on as if it had never stopped.
//
// Its summary (PhaseEnd::summary): {"trials", "failed", "reused", "best_trial" (or null), "wall_seconds",
// "trial_seconds" (train_seconds of the trials trained this session), "loop_seconds" (time the loop
// spent outside waiting for the runner: proposing, logging, observing, checkpointing), "seed_verdict"}.
namespace nas {

// The phase's name in a run and its log.
constexpr const char* kSearchPhase = "search";

}  // namespace nas
