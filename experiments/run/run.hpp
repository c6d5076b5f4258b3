#pragma once
// One run of an experiment: its log, its phases and the weights its trials share (run-long state).
// `nas run` starts one and `nas resume` reopens one from its log alone; either way the caller then
// asks it to go on, and it runs the phases that are not done, in order, each continuing from what
// the log holds. The command line chains nothing itself.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/run/experiment.hpp"
#include "experiments/run/phase.hpp"

namespace nas {

struct RunOptions {
  std::string dir;  // the run directory; empty: runs/<name>-<UTC time>
  RunConsole console;
};

struct RunOutcome {
  std::string dir;
  int exit_code = 0;  // 1 when a phase stopped the run (no trial succeeded), 0 otherwise
  // PhaseEnd::summary of each phase this session ran, by name.
  std::map<std::string, Json> summaries;
};

class Run {
 public:
  // A new run of `experiment`: creates its log (and directory, refusing one that holds a run),
  // records its phases and makes the shared weights its evaluator asks for.
  static Run start(Experiment experiment, const RunOptions& options);
  // A run from its log alone: the experiment from the log's effective configuration and `overrides`
  // (--set key.path=value), the shared weights as last checkpointed, and the phases to go on with:
  // the one the run was in and those after it, plus any done phase whose settings the overrides
  // change (a larger budget.trials reopens the search) and those after it. Overrides may change only
  // what keeps it the same search: resumable_override_keys(). Refuses, before any file changes, a
  // directory that is not a run, a log it cannot read or continue, other overrides, and a run another
  // process writes.
  static Run resume(const std::string& dir, const std::vector<std::string>& overrides, const RunConsole& console);

  Run(Run&&) noexcept;
  Run& operator=(Run&&) noexcept;
  ~Run();

  // Runs every phase not done, in order. The run's status is "running" meanwhile and, at the end,
  // the outcome of its last done phase that has one ("finished", "stopped: budget.hours reached").
  RunOutcome go_on();

 private:
  struct State;
  explicit Run(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Keys `nas resume --set` accepts, for its help and errors.
const std::vector<std::string>& resumable_override_keys();

}  // namespace nas
