#pragma once
// Who trains a run's pretrained weights (a supernet) together with this process, batch slice by batch
// slice (data_parallel.hpp): nobody on one machine; the other ranks of an MPI job with the "mpi"
// runner. A team is made per supernet phase, from the weights' state, and the same runner kind as the
// trials (process_runner_kind), registered by the same name. No torch here.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/registry.hpp"
#include "core/state_record.hpp"
#include "evaluators/evaluation/data_parallel.hpp"
#include "evaluators/evaluation/trial_runner.hpp"

namespace nas {

class PretrainingTeam {
 public:
  virtual ~PretrainingTeam() = default;  // the members go back to serving trials
  // Before each epoch: the other members start training it too.
  virtual void start_epoch() = 0;
  // What this process trains through.
  virtual DataParallel& data_parallel() = 0;
};

// Makes the team for weights whose state (PretrainedWeights::state) is `state`; the other members make
// the same weights from options.recipe and restore that state.
using PretrainingTeamFactory =
    std::function<std::unique_ptr<PretrainingTeam>(const std::vector<StateRecord>& state, const RunnerOptions& options)>;
Registry<PretrainingTeamFactory>& pretraining_team_registry();

// The team registered as `kind`; kLocalRunner (or any kind without a team) trains alone.
std::unique_ptr<PretrainingTeam> make_pretraining_team(const std::string& kind, const std::vector<StateRecord>& state,
                                                       const RunnerOptions& options);

}  // namespace nas
