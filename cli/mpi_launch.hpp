#pragma once
// `mpiexec -n N nas <command>`: every rank starts here. Rank 0 runs the command with its trials on the
// other ranks (the "mpi" trial runner); the other ranks serve trials until rank 0 is done. Without an
// MPI launcher this is not used at all, and `nas` runs exactly as on one machine.
#include <functional>

namespace nas {

// Runs `command` as an MPI job's rank 0 (or serves trials on the other ranks); returns the exit code.
int run_in_mpi_job(int* argc, char*** argv, const std::function<int()>& command);

}  // namespace nas
