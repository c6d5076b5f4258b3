#include "cli/mpi_launch.hpp"

#include <iostream>
#include <optional>

#include "core/error.hpp"
#include "evaluators/evaluation/trial_runner.hpp"
#include "evaluators/evaluation/pretraining_team.hpp"
#include "evaluators/runner/mpi_pretraining_team.hpp"
#include "evaluators/runner/mpi_trial_runner.hpp"
#include "evaluators/runner/mpi_world.hpp"
#include "evaluators/runner/rank_service.hpp"

namespace nas {

int run_in_mpi_job(int* argc, char*** argv, const std::function<int()>& command) {
  std::optional<MpiWorld> world;
  try {
    world.emplace(argc, argv);
  } catch (const Error& e) {
    std::cerr << "nas: error: " << e.what() << "\n";
    return 1;
  }
  if (world->rank() != 0) {
    try {
      return serve_trials(*world);
    } catch (const std::exception& e) {
      std::cerr << "nas: rank " << world->rank() << " on " << world->host() << ": error: " << e.what() << "\n";
      world->abandon();
      return 1;
    }
  }
  // One rank alone has no one to send trials to: it runs them itself, as without MPI.
  if (world->size() == 1) return command();
  MpiJob job(*world);
  trial_runner_registry().add(kMpiRunner, [&job](const Evaluator&, const RunnerOptions& options) {
    return make_mpi_trial_runner(job, options);
  });
  pretraining_team_registry().add(kMpiRunner, [&job](const std::vector<StateRecord>& state, const RunnerOptions& options) {
    return make_mpi_pretraining_team(job, state, options);
  });
  set_process_runner_kind(kMpiRunner);
  const int code = command();
  try {
    job.stop();
  } catch (const std::exception& e) {
    std::cerr << "nas: mpi: stopping the other ranks: " << e.what() << "\n";
    world->abandon();
  }
  return code;
}

}  // namespace nas
