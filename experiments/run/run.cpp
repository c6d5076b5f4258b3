#include "experiments/run/run.hpp"

#include <algorithm>
#include <optional>
#include <ostream>
#include <set>
#include <utility>

#include "core/error.hpp"
#include "core/suggest.hpp"
#include "evaluators/evaluation/shared_weights.hpp"
#include "experiments/log/run_directory.hpp"

namespace nas {
namespace {

RunInfo run_info_for(const ExperimentConfig& config) {
  RunInfo info;
  info.name = config.name;
  info.seed = config.seed;
  info.experiment_text = config.text;
  info.experiment_json = config.effective;
  info.experiment_hash = stable_hash_hex(config.effective.dump());
  return info;
}

std::string override_key(const std::string& assignment) { return assignment.substr(0, assignment.find('=')); }

// `pattern` is a key, or a prefix ending in '*' ("budget.*").
bool matches(const std::string& key, const std::string& pattern) {
  if (!pattern.empty() && pattern.back() == '*') return key.rfind(pattern.substr(0, pattern.size() - 1), 0) == 0;
  return key == pattern;
}

void check_overrides(const std::vector<std::string>& overrides) {
  const auto& accepted = resumable_override_keys();
  for (const std::string& assignment : overrides) {
    const std::string key = override_key(assignment);
    if (!std::any_of(accepted.begin(), accepted.end(), [&](const std::string& allowed) { return matches(key, allowed); }))
      throw Error("--set " + assignment, "'" + key +
                                             "' cannot change when a search resumes: it would make another search "
                                             "(start that with nas run); " + accepted_list(key, accepted));
  }
}

const PhaseKind& kind_of(const std::string& name, const std::string& log_path) {
  const PhaseKind* kind = phase_registry().find(name);
  if (!kind)
    throw Error(log_path, "has a phase '" + name + "' this program does not know; " +
                              accepted_list(name, phase_registry().names()));
  return *kind;
}

// "search (done), reevaluate (running)".
std::string phase_list_text(const std::vector<PhaseRow>& phases) {
  std::string text;
  for (const PhaseRow& phase : phases)
    text += (text.empty() ? "" : ", ") + phase.name + " (" + to_string(phase.status) + ")";
  return text.empty() ? "none" : text;
}

// The run's status once its phases have run: the outcome of the last done phase that has one.
std::string run_status(const std::vector<PhaseRow>& phases) {
  std::string status = "finished";
  for (const PhaseRow& phase : phases)
    if (phase.status == PhaseStatus::done && !phase.outcome.empty()) status = phase.outcome;
  return status;
}

// Runs `phase`; when it throws (a controller whose policy diverged, a full disk), the log is first
// told that the run stopped and why, so that it does not read as running forever; the phase stays
// running, where a resume goes on with it. The error itself goes on to be reported once, by the
// command line.
PhaseEnd run_recording_failure(SearchLog& log, const std::string& name, Phase& phase, PhaseContext& context) {
  try {
    return phase.run(context);
  } catch (const std::exception& error) {
    std::string reason = error.what();
    reason = reason.substr(0, reason.find('\n'));
    try {
      log.set_status("stopped: " + name + " failed: " + Error::excerpt(reason));
    } catch (const std::exception&) {
      // The log may be what failed (a full disk); the run stays recorded as running, and resume works.
    }
    throw;
  }
}

}  // namespace

const std::vector<std::string>& resumable_override_keys() {
  // The keys each phase kind registered as giving it more to do, and the workers and the MPI runner's
  // watch, which change how fast a run goes, not what it computes. Built on first use, after every
  // phase has registered.
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> keys = {"evaluator.workers", "evaluator.threads_per_worker", "runner.*"};
    for (const std::string& name : phase_registry().names())
      for (const std::string& pattern : phase_registry().find(name)->reopened_by)
        if (std::find(keys.begin(), keys.end(), pattern) == keys.end()) keys.push_back(pattern);
    return keys;
  }();
  return keys;
}

struct Run::State {
  State(Experiment experiment, SearchLog log, RunConsole console)
      : experiment(std::move(experiment)), log(std::move(log)), console(console) {}

  Experiment experiment;
  SearchLog log;
  RunConsole console;
  std::string dir;
  std::unique_ptr<SharedWeights> shared_weights;
  // The phases this session runs, in order, each prepared.
  std::vector<std::pair<std::string, std::unique_ptr<Phase>>> plan;
  // What a resume decided to write, deferred to go_on() so that a refusal writes nothing.
  bool experiment_changed = false;
  std::vector<std::pair<std::string, int>> phases_to_add;  // name, position
  std::vector<std::string> phases_to_skip;                 // no longer asked for, not done
  std::vector<std::string> phases_to_reopen;               // done or skipped, to run again
  bool resumed = false;

  PhaseContext context() { return PhaseContext{experiment, log, dir, shared_weights.get(), console}; }

  // Says once that the log was upgraded from an older format, and where its original is kept.
  void note_upgrade() {
    const std::optional<LogUpgrade> upgrade = log.upgrade();
    if (upgrade && !upgrade_noted && console.notes) *console.notes << "nas: " << describe_upgrade(*upgrade) << "\n";
    upgrade_noted = upgrade_noted || upgrade.has_value();
  }
  bool upgrade_noted = false;

  void prepare(const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      std::unique_ptr<Phase> phase = kind_of(name, log.path()).make();
      PhaseContext phase_context = context();
      phase->prepare(phase_context);
      plan.emplace_back(name, std::move(phase));
    }
  }
};

Run::Run(std::unique_ptr<State> state) : state_(std::move(state)) {}
Run::Run(Run&&) noexcept = default;
Run& Run::operator=(Run&&) noexcept = default;
Run::~Run() = default;

Run Run::start(Experiment experiment, const RunOptions& options) {
  const std::string dir = options.dir.empty() ? default_run_dir(experiment.config.name) : options.dir;
  SearchLog log = SearchLog::create(dir, run_info_for(experiment.config));
  auto state = std::make_unique<State>(std::move(experiment), std::move(log), options.console);
  state->dir = dir;
  const std::vector<std::string> names = wanted_phases(state->experiment.config);
  for (const std::string& name : names) state->log.add_phase(name, kind_of(name, state->log.path()).position);
  state->shared_weights = state->experiment.evaluator->make_shared_weights();
  state->prepare(names);
  return Run(std::move(state));
}

Run Run::resume(const std::string& dir, const std::vector<std::string>& overrides, const RunConsole& console) {
  check_overrides(overrides);
  SearchLog log = SearchLog::open(dir, SearchLog::Mode::read_write);
  const RunInfo info = log.info();
  Experiment experiment = load_logged_experiment(info.experiment_json, log.path(), overrides);
  experiment.config.text = info.experiment_text;
  auto state = std::make_unique<State>(std::move(experiment), std::move(log), console);
  State& run = *state;
  run.dir = dir;
  run.resumed = true;
  run.experiment_changed = run.experiment.config.effective != info.experiment_json;
  run.shared_weights = run.experiment.evaluator->make_shared_weights();
  if (run.shared_weights) run.shared_weights->restore(run.log.run_state(run.shared_weights->kind()));

  // The phases as they will stand: the logged ones, those the configuration asks for now added, those
  // it no longer asks for skipped unless done, and done ones reopened by the overrides.
  std::vector<PhaseRow> phases = run.log.phases();
  const std::vector<std::string> wanted = wanted_phases(run.experiment.config);
  const auto is_wanted = [&](const std::string& name) { return std::count(wanted.begin(), wanted.end(), name) > 0; };
  for (PhaseRow& phase : phases) {
    if (!is_wanted(phase.name) && phase.status != PhaseStatus::done && phase.status != PhaseStatus::skipped) {
      phase.status = PhaseStatus::skipped;
      run.phases_to_skip.push_back(phase.name);
    } else if (is_wanted(phase.name) && phase.status == PhaseStatus::skipped) {
      phase.status = PhaseStatus::pending;
      run.phases_to_reopen.push_back(phase.name);
    }
  }
  for (const std::string& name : wanted) {
    if (std::any_of(phases.begin(), phases.end(), [&](const PhaseRow& phase) { return phase.name == name; })) continue;
    PhaseRow added;
    added.name = name;
    added.position = kind_of(name, run.log.path()).position;
    phases.push_back(added);
    run.phases_to_add.emplace_back(name, added.position);
  }
  std::stable_sort(phases.begin(), phases.end(),
                   [](const PhaseRow& a, const PhaseRow& b) { return a.position < b.position; });
  bool reopening = false;
  for (PhaseRow& phase : phases) {
    if (phase.status != PhaseStatus::done || !is_wanted(phase.name)) continue;
    const PhaseKind& kind = kind_of(phase.name, run.log.path());
    reopening = reopening || std::any_of(overrides.begin(), overrides.end(), [&](const std::string& assignment) {
                  return std::any_of(kind.reopened_by.begin(), kind.reopened_by.end(), [&](const std::string& pattern) {
                    return matches(override_key(assignment), pattern);
                  });
                });
    if (reopening) {
      phase.status = PhaseStatus::pending;
      run.phases_to_reopen.push_back(phase.name);
    }
  }
  std::vector<std::string> to_run;
  for (const PhaseRow& phase : phases)
    if (phase.status == PhaseStatus::pending || phase.status == PhaseStatus::running) to_run.push_back(phase.name);
  run.prepare(to_run);
  return Run(std::move(state));
}

RunOutcome Run::go_on() {
  State& run = *state_;
  RunOutcome outcome;
  outcome.dir = run.dir;
  const ExperimentConfig& config = run.experiment.config;
  if (run.resumed && run.console.notes) {
    std::string going_on;
    for (const auto& planned : run.plan) going_on += (going_on.empty() ? "" : ", ") + planned.first;
    *run.console.notes << "nas: resuming " << config.name << ": phases " << phase_list_text(run.log.phases())
                       << (going_on.empty() ? "" : "; going on with " + going_on) << "; " << config.runner.workers
                       << " worker(s) x " << config.runner.threads_per_worker << " thread(s)\n";
  }
  // The decisions of a resume, now that nothing refused it.
  if (run.experiment_changed)
    run.log.update_experiment(config.effective, stable_hash_hex(config.effective.dump()));
  for (const auto& [name, position] : run.phases_to_add) run.log.add_phase(name, position);
  for (const std::string& name : run.phases_to_skip) run.log.set_phase_status(name, PhaseStatus::skipped);
  for (const std::string& name : run.phases_to_reopen) run.log.set_phase_status(name, PhaseStatus::pending);
  run.phases_to_add.clear();
  run.phases_to_skip.clear();
  run.phases_to_reopen.clear();
  run.experiment_changed = false;

  if (run.plan.empty()) {
    if (run.console.notes) {
      std::set<std::string> keys;
      for (const PhaseRow& phase : run.log.phases())
        for (const std::string& pattern : kind_of(phase.name, run.log.path()).reopened_by) keys.insert(pattern);
      std::string hint;
      for (const std::string& key : keys) hint += (hint.empty() ? "" : ", ") + key;
      *run.console.notes << "nas: every phase of this run is done; nothing to do. A done phase runs again when "
                            "--set changes its settings (" << hint << "), e.g. --set budget.trials=N\n";
    }
    run.note_upgrade();
    return outcome;
  }

  run.log.set_status("running");
  for (auto& [name, phase] : run.plan) {
    run.log.set_phase_status(name, PhaseStatus::running);
    PhaseContext context = run.context();
    const PhaseEnd end = run_recording_failure(run.log, name, *phase, context);
    if (end.done) run.log.set_phase_status(name, PhaseStatus::done, end.outcome);
    else run.log.set_phase_status(name, PhaseStatus::pending);
    outcome.summaries[name] = end.summary;
    if (!end.done || !end.proceed) {
      outcome.exit_code = 1;
      break;
    }
  }
  run.plan.clear();
  run.log.set_status(run_status(run.log.phases()));
  run.note_upgrade();
  return outcome;
}

}  // namespace nas
