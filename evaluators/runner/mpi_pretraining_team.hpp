#pragma once
// The supernet phase on an MPI job: rank 0 and every rank not lost form a team (an MPI group); the
// other ranks make the run's supernet from the recipe, restore rank 0's state (weights, optimizer,
// progress) and train each epoch with it, every batch cut into one slice per rank (rank 0 included,
// as data-parallel training goes), so every rank ends each epoch with the same weights and rank 0
// checkpoints them.
#include <memory>
#include <optional>
#include <vector>

#include "core/state_record.hpp"
#include "evaluators/evaluation/data_parallel.hpp"
#include "evaluators/evaluation/pretraining_team.hpp"
#include "evaluators/runner/mpi_trial_runner.hpp"
#include "evaluators/runner/mpi_world.hpp"

namespace nas {

// A member's view of the team: its place in the MPI group is its slice of every batch.
class MpiDataParallel : public DataParallel {
 public:
  explicit MpiDataParallel(std::unique_ptr<MpiGroup> group) : group_(std::move(group)) {}
  int size() const override { return group_->size(); }
  int index() const override { return group_->index(); }
  void sum(float* values, std::size_t count) override { group_->sum(values, count); }
  void sum(double* values, std::size_t count) override { group_->sum(values, count); }

 private:
  std::unique_ptr<MpiGroup> group_;
};

std::unique_ptr<PretrainingTeam> make_mpi_pretraining_team(MpiJob& job, const std::vector<StateRecord>& state,
                                                           const RunnerOptions& options);

}  // namespace nas
