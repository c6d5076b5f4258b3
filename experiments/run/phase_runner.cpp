#include "experiments/run/phase_runner.hpp"

#include "experiments/run/experiment.hpp"

namespace nas {

Json evaluator_sections(const Json& configuration) {
  Json sections = Json::object();
  for (const char* name : {"space", "dataset", "evaluator", "supernet"})
    if (configuration.contains(name)) sections[name] = configuration.at(name);
  return sections;
}

RunnerOptions phase_runner_options(const ExperimentConfig& config, const Json& sections, const std::string& run_dir) {
  RunnerOptions options = config.runner;
  options.recipe = EvaluatorRecipe{sections, config.seed};
  options.continue_command = "nas resume " + run_dir;
  return options;
}

std::unique_ptr<TrialRunner> make_phase_runner(const ExperimentConfig& config, const Evaluator& evaluator,
                                               const Json& sections, const std::string& run_dir) {
  return make_trial_runner(process_runner_kind(), evaluator, phase_runner_options(config, sections, run_dir));
}

}  // namespace nas
