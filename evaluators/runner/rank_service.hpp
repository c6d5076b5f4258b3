#pragma once
// What every rank but 0 of an MPI job does (mpi_protocol.hpp): for each session rank 0 opens, make
// the evaluator from the recipe it sends (loading the data once per session, from the paths of the
// logged configuration; a session with the same recipe as the last one reuses it), train the
// requests on a local pool of `workers` x `threads_per_worker`, and send each result back with the
// kept weights as bytes. It says it is alive every `heartbeat_seconds`, also while it loads.
#include "evaluators/runner/mpi_world.hpp"

namespace nas {

// Serves until rank 0 says stop; returns the process's exit code. A rank that cannot make the
// evaluator answers rank 0 with why, and rank 0 stops the job naming this rank and its host.
int serve_trials(MpiWorld& world);

}  // namespace nas
