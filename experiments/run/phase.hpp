#pragma once
// A run is an ordered list of phases, recorded in its search log: today `search`, then `reevaluate`
// when the experiment asks for it; a supernet's training before the search and a retraining of the
// winner after it fit the same mould. Each phase kind registers itself with its place in a run and
// says which experiments have it; the run (run.hpp) records the phases, runs those not done in order,
// and on `nas resume` continues the one it was in and then the ones after it. A phase keeps its own
// progress in the log (the search its trials and checkpoint, a re-evaluation its repeats), so it can
// always continue from what the log holds.
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/registry.hpp"

namespace nas {

struct Experiment;
struct ExperimentConfig;
class SearchLog;
class SharedWeights;

// Where phases print. Results for people go to `out` (stdout: the best trial, the re-evaluation
// table); one-line notes on what starts and resumes to `notes` (stderr); the progress line and a line
// per finished training to `progress` (stderr, none with --quiet). A null stream prints nothing.
struct RunConsole {
  std::ostream* out = nullptr;
  std::ostream* notes = nullptr;
  std::ostream* progress = nullptr;
  bool progress_in_place = false;  // redraw one line (a terminal) instead of a line per trial
};

// What a phase works on: everything the run owns.
struct PhaseContext {
  Experiment& experiment;
  SearchLog& log;
  std::string run_dir;
  SharedWeights* shared_weights;  // the run's shared weights (run-long state), or null: none
  const RunConsole& console;
};

// How a phase ended.
struct PhaseEnd {
  // true: the phase did its work and is marked done; false: it found nothing to work on (a
  // re-evaluation of a search where no trial succeeded) and stays pending, and the run stops.
  bool done = true;
  // false: the phases after it cannot run (a search in which no trial succeeded has nothing to
  // re-evaluate); the run stops there with exit code 1 and they stay pending.
  bool proceed = true;
  // For people and for the run's status ("finished", "stopped: budget.hours reached"); the run's
  // status is the outcome of the last done phase that has one. Empty: none.
  std::string outcome;
  // Figures of this session of the phase, for programs (tests, benchmarks), e.g. the search's
  // {"trials", "failed", "reused", ...}.
  Json summary = Json::object();
};

class Phase {
 public:
  virtual ~Phase() = default;
  // Reads what the log holds of this phase and checks that it can go on from there (the search
  // restores its controller and replays its logged architectures), writing nothing: a run that
  // cannot continue is refused before any file changes. Called for every phase a session will run,
  // in order, before the first one runs.
  virtual void prepare(PhaseContext& context) { (void)context; }
  // Runs the phase to its end, continuing from what the log holds. Checkpoints its own progress.
  virtual PhaseEnd run(PhaseContext& context) = 0;
};

struct PhaseKind {
  int position = 0;  // place in a run: 10 supernet, 20 search, 30 reevaluate, 40 retrain
  // Whether an experiment has this phase.
  std::function<bool(const ExperimentConfig&)> wanted;
  // The keys a resume may change (`nas resume --set`) that give a done phase more to do, each a key or
  // a prefix ending in '*', e.g. "budget.*" for the search: such a phase, and every phase after it,
  // runs again.
  std::vector<std::string> reopened_by;
  std::function<std::unique_ptr<Phase>()> make;
};

Registry<PhaseKind>& phase_registry();

// The phases `config` has, by name, in run order.
std::vector<std::string> wanted_phases(const ExperimentConfig& config);

}  // namespace nas
