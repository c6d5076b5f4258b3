#pragma once
// The MPI job this process belongs to: `mpiexec -n N nas ...` (or `srun` with the MPI's PMI) starts N
// processes, the ranks. Rank 0 runs the command; the others serve its trials (rank_service.hpp).
// Messages are byte strings with a tag, sent without blocking (two ranks that send each other large
// messages at once must not wait on each other), and every call reports a communication error as
// nas::Error instead of aborting the job, so rank 0 can outlive a lost rank where the MPI lets it.
// mpi_world.cpp is the only file that includes <mpi.h>.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nas {

// Some ranks of the job, for collectives among them alone (a lost rank left out): the team that
// trains a supernet.
class MpiGroup {
 public:
  ~MpiGroup();
  int index() const { return index_; }  // this rank's place among the members
  int size() const { return size_; }
  // Sums over the members, in place (MPI_Allreduce); every member calls it alike. Throws nas::Error.
  void sum(float* values, std::size_t count);
  void sum(double* values, std::size_t count);

 private:
  friend class MpiWorld;
  struct Handle;
  MpiGroup(std::unique_ptr<Handle> handle, int index, int size);
  std::unique_ptr<Handle> handle_;
  int index_ = 0;
  int size_ = 1;
};

struct MpiMessage {
  int source = -1;
  int tag = 0;
  std::string bytes;
};

class MpiWorld {
 public:
  // Whether an MPI launcher started this process, as its environment says (MPICH's and SLURM's PMI,
  // Open MPI, PMIx). Without one, `nas` never touches MPI and runs exactly as on one machine.
  static bool launched();

  // MPI_Init_thread, funneled: only the thread that calls this makes MPI calls. Throws nas::Error.
  MpiWorld(int* argc, char*** argv);
  // Waits for the sends still in flight, then MPI_Finalize; unless abandon() was called.
  ~MpiWorld();
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  const std::string& host() const { return host_; }

  // Starts sending `bytes` to rank `dest` under `tag` and returns; the bytes are kept until sent.
  void send(int dest, int tag, std::string bytes);
  // The next message from `source` (kAnySource: any), waiting up to `wait` for one; nothing when none
  // came. Also moves the sends in flight along.
  std::optional<MpiMessage> receive(int source, std::chrono::milliseconds wait);
  // The group of `members` (ranks, ascending, this one among them); every member calls it alike.
  std::unique_ptr<MpiGroup> group(const std::vector<int>& members);
  // Ends without MPI_Finalize, which would wait for a rank that is gone (messages already sent still go).
  void abandon() { abandoned_ = true; }

  static constexpr int kAnySource = -1;
  // The largest message a rank accepts (a supernet's weights are tens of megabytes).
  static constexpr long long kMaxMessageBytes = 1LL << 31;

 private:
  struct PendingSends;
  int rank_ = 0;
  int size_ = 1;
  std::string host_;
  bool abandoned_ = false;
  std::unique_ptr<PendingSends> pending_;
};

}  // namespace nas
