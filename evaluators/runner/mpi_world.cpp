#include "evaluators/runner/mpi_world.hpp"

#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <list>
#include <thread>

#include "core/error.hpp"

namespace nas {

struct MpiWorld::PendingSends {
  struct Send {
    std::string bytes;
    MPI_Request request = MPI_REQUEST_NULL;
  };
  std::list<Send> sends;  // a list: the buffers must not move while MPI reads them

  // Drops the sends that completed; throws on a failed one.
  void progress() {
    for (auto it = sends.begin(); it != sends.end();) {
      int done = 0;
      MPI_Status status;
      if (MPI_Test(&it->request, &done, &status) != MPI_SUCCESS) throw Error("mpi", "a send failed");
      it = done ? sends.erase(it) : std::next(it);
    }
  }
};

namespace {

std::string error_text(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return std::string(text, static_cast<std::size_t>(length));
}

void check(int code, const std::string& what) {
  if (code != MPI_SUCCESS) throw Error("mpi", what + " failed: " + error_text(code));
}

}  // namespace

struct MpiGroup::Handle {
  MPI_Comm comm = MPI_COMM_NULL;
};

MpiGroup::MpiGroup(std::unique_ptr<Handle> handle, int index, int size)
    : handle_(std::move(handle)), index_(index), size_(size) {}

MpiGroup::~MpiGroup() {
  if (handle_->comm != MPI_COMM_NULL) MPI_Comm_free(&handle_->comm);
}

namespace {

// MPI counts are ints: larger arrays go in pieces.
template <typename T>
void sum_in_pieces(MPI_Comm comm, T* values, std::size_t count, MPI_Datatype type) {
  while (count > 0) {
    const std::size_t piece = std::min<std::size_t>(count, 1u << 30);
    check(MPI_Allreduce(MPI_IN_PLACE, values, static_cast<int>(piece), type, MPI_SUM, comm), "MPI_Allreduce");
    values += piece;
    count -= piece;
  }
}

}  // namespace

void MpiGroup::sum(float* values, std::size_t count) { sum_in_pieces(handle_->comm, values, count, MPI_FLOAT); }
void MpiGroup::sum(double* values, std::size_t count) { sum_in_pieces(handle_->comm, values, count, MPI_DOUBLE); }

std::unique_ptr<MpiGroup> MpiWorld::group(const std::vector<int>& members) {
  MPI_Group world_group = MPI_GROUP_NULL;
  MPI_Group subset = MPI_GROUP_NULL;
  check(MPI_Comm_group(MPI_COMM_WORLD, &world_group), "MPI_Comm_group");
  check(MPI_Group_incl(world_group, static_cast<int>(members.size()), members.data(), &subset), "MPI_Group_incl");
  auto handle = std::make_unique<MpiGroup::Handle>();
  // Collective over the members alone, so a lost rank outside them does not hold it up.
  const int code = MPI_Comm_create_group(MPI_COMM_WORLD, subset, 7, &handle->comm);
  MPI_Group_free(&subset);
  MPI_Group_free(&world_group);
  check(code, "MPI_Comm_create_group");
  MPI_Comm_set_errhandler(handle->comm, MPI_ERRORS_RETURN);
  int index = 0;
  int size = 1;
  check(MPI_Comm_rank(handle->comm, &index), "MPI_Comm_rank");
  check(MPI_Comm_size(handle->comm, &size), "MPI_Comm_size");
  return std::unique_ptr<MpiGroup>(new MpiGroup(std::move(handle), index, size));
}

bool MpiWorld::launched() {
  // MPICH's Hydra and SLURM's PMI set PMI_RANK/PMI_SIZE; Open MPI its own; PMIx launchers PMIX_RANK.
  for (const char* variable : {"PMI_RANK", "PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK"})
    if (std::getenv(variable)) return true;
  return false;
}

MpiWorld::MpiWorld(int* argc, char*** argv) : pending_(std::make_unique<PendingSends>()) {
  int provided = 0;
  check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  // Errors come back as codes (then nas::Error), so that one lost rank need not end rank 0.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
  char name[MPI_MAX_PROCESSOR_NAME];
  int length = 0;
  if (MPI_Get_processor_name(name, &length) == MPI_SUCCESS) host_.assign(name, static_cast<std::size_t>(length));
  if (host_.empty()) host_ = "unknown host";
}

MpiWorld::~MpiWorld() {
  try {
    // The last messages (rank 0's stop) still go out; bounded, since a rank that stopped receiving
    // must not hold this process forever.
    for (int i = 0; i < (abandoned_ ? 200 : 3000) && !pending_->sends.empty(); ++i) {
      pending_->progress();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  } catch (const Error&) {
    return;
  }
  if (abandoned_ || !pending_->sends.empty()) return;
  MPI_Finalize();
}

void MpiWorld::send(int dest, int tag, std::string bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX))
    throw Error("mpi", "a message of " + std::to_string(bytes.size()) + " bytes is over MPI's 2 GiB count limit");
  pending_->progress();
  pending_->sends.push_back(PendingSends::Send{std::move(bytes), MPI_REQUEST_NULL});
  PendingSends::Send& send = pending_->sends.back();
  const int code = MPI_Isend(send.bytes.data(), static_cast<int>(send.bytes.size()), MPI_BYTE, dest, tag,
                             MPI_COMM_WORLD, &send.request);
  if (code != MPI_SUCCESS) {
    pending_->sends.pop_back();
    throw Error("mpi", "sending to rank " + std::to_string(dest) + " failed: " + error_text(code));
  }
}

std::optional<MpiMessage> MpiWorld::receive(int source, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  const int from = source == kAnySource ? MPI_ANY_SOURCE : source;
  // Polling, not a blocking receive: the caller also watches its trials and the clock. The pause
  // between polls is 50 microseconds for the first 5 ms (a quick answer, as a table lookup's, costs
  // little), then doubles to 2 ms, so a rank that waits on long trainings takes almost no time from
  // the cores that train them.
  const auto started = std::chrono::steady_clock::now();
  std::chrono::microseconds pause(50);
  while (true) {
    pending_->progress();
    int flag = 0;
    MPI_Status status;
    check(MPI_Iprobe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status), "MPI_Iprobe");
    if (flag) {
      int count = 0;
      check(MPI_Get_count(&status, MPI_BYTE, &count), "MPI_Get_count");
      if (count < 0) throw Error("mpi", "a message from rank " + std::to_string(status.MPI_SOURCE) + " has no size");
      MpiMessage message;
      message.source = status.MPI_SOURCE;
      message.tag = status.MPI_TAG;
      message.bytes.resize(static_cast<std::size_t>(count));
      check(MPI_Recv(message.bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE),
            "MPI_Recv");
      return message;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::min(pause, std::chrono::duration_cast<std::chrono::microseconds>(deadline - now)));
    if (now - started > std::chrono::milliseconds(5)) pause = std::min(pause * 2, std::chrono::microseconds(2000));
  }
}

}  // namespace nas
