#pragma once
// `nas resume DIR`: a search rebuilt from its log alone. The experiment comes from the log's effective
// configuration, the controller from its last checkpoint; trials proposed before that checkpoint but
// unfinished run again as stored, and those proposed after it are forgotten and proposed again by the
// restored controller, which proposes them identically. So a search killed at any moment and resumed
// goes on as if it had never stopped.
#include <string>
#include <vector>

#include "experiments/experiment.hpp"
#include "experiments/search_log.hpp"
#include "experiments/search_run.hpp"

namespace nas {

struct ResumedSearch {
  SearchLog log;           // open for writing: the run's lock is held
  Experiment experiment;   // controller restored
  SearchStart start;
  std::int64_t discarded = 0;  // unfinished trials proposed after the last checkpoint, to be proposed again
};

// `overrides` (--set key.path=value) may change only what does not change which search it is: the
// budget, the pool and what follows the search (budget.*, evaluator.workers,
// evaluator.threads_per_worker, reevaluate.*). Refuses, before
// anything is written, a directory that is not a run, a log it cannot read, other overrides, and a
// run another process is writing.
ResumedSearch prepare_resume(const std::string& dir, const std::vector<std::string>& overrides);

// Keys `nas resume --set` accepts, for its help and errors.
const std::vector<std::string>& resumable_override_keys();

}  // namespace nas
