#pragma once
// The trial runner a phase trains on: this process's kind (process_runner_kind: its own workers, or
// the other ranks of an MPI job), told how another process makes the same evaluator and what
// continues the run if the runner gives up.
#include <memory>
#include <string>

#include "core/json.hpp"
#include "evaluators/evaluation/trial_runner.hpp"

namespace nas {

struct ExperimentConfig;

// The sections of a configuration that an evaluator is made from: space, dataset, evaluator, supernet.
Json evaluator_sections(const Json& configuration);

// The run's runner options, with how other processes make an evaluator from `sections`
// (evaluator_sections) and the experiment's seed, and what continues the run in `run_dir`.
RunnerOptions phase_runner_options(const ExperimentConfig& config, const Json& sections, const std::string& run_dir);

// A runner for `evaluator`, which was made from `sections`, for the run in `run_dir`.
std::unique_ptr<TrialRunner> make_phase_runner(const ExperimentConfig& config, const Evaluator& evaluator,
                                               const Json& sections, const std::string& run_dir);

}  // namespace nas
