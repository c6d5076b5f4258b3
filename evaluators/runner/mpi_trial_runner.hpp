#pragma once
// Rank 0's side of an MPI job: a TrialRunner whose trials train on the other ranks, each with its own
// pool of `workers` trials at a time (rank_service.hpp). Rank 0 sends each request as JSON to a rank
// with a free slot and takes back the result, with the kept weights as bytes; a rank that says
// nothing (not even its heartbeat) for `lost_after_seconds` is taken as lost, and its trials go back
// to the queue for the others. Which rank trains a trial changes nothing of its figures.
#include <cstdint>
#include <memory>
#include <set>

#include "evaluators/evaluation/trial_runner.hpp"
#include "evaluators/runner/mpi_world.hpp"

namespace nas {

// What rank 0 knows of the job across its runners (a run makes one per phase).
class MpiJob {
 public:
  explicit MpiJob(MpiWorld& world) : world_(world) {}
  MpiWorld& world() { return world_; }
  // Ranks taken as lost: they get no further work, and MPI_Finalize would wait for them forever.
  std::set<int>& lost() { return lost_; }
  std::int64_t next_session() { return ++sessions_; }
  // Tells every rank still there that the job is over (they leave their loop and finalize).
  void stop();

 private:
  MpiWorld& world_;
  std::set<int> lost_;
  std::int64_t sessions_ = 0;
};

// Opens a session on every rank not lost: each makes the evaluator from options.recipe (loading its
// data) and answers. Throws nas::Error naming the rank and host of one that cannot.
std::unique_ptr<TrialRunner> make_mpi_trial_runner(MpiJob& job, const RunnerOptions& options);

}  // namespace nas
