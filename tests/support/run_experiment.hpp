#pragma once
// Running an experiment from a test as `nas run` does (Run::start, then go_on), and what the test reads
// of it: its directory and the search phase's summary (experiments/run/search_phase.hpp).
#include <cstdint>
#include <optional>
#include <string>

#include "experiments/run/run.hpp"

namespace nas::testing {

struct SearchOutcome {
  std::string dir;
  int exit_code = 0;
  std::int64_t trials = 0;
  std::int64_t failed = 0;
  std::int64_t reused = 0;
  std::optional<std::int64_t> best;  // the best trial's id
  double trial_seconds = 0;
  std::string seed_verdict;
};

inline SearchOutcome search_outcome(const RunOutcome& outcome) {
  SearchOutcome search;
  search.dir = outcome.dir;
  search.exit_code = outcome.exit_code;
  const Json& summary = outcome.summaries.at("search");
  search.trials = summary.at("trials").get<std::int64_t>();
  search.failed = summary.at("failed").get<std::int64_t>();
  search.reused = summary.at("reused").get<std::int64_t>();
  if (!summary.at("best_trial").is_null()) search.best = summary.at("best_trial").get<std::int64_t>();
  search.trial_seconds = summary.at("trial_seconds").get<double>();
  search.seed_verdict = summary.at("seed_verdict").get<std::string>();
  return search;
}

// Runs every phase of `experiment` in `dir`, printing nothing.
inline SearchOutcome run_experiment(Experiment experiment, const std::string& dir) {
  RunOptions options;
  options.dir = dir;
  return search_outcome(Run::start(std::move(experiment), options).go_on());
}

}  // namespace nas::testing
