#pragma once
// One writer per run directory. `nas run`, `nas resume` and anything else that writes a search log
// hold DIR/lock (an flock, so the kernel releases it when the process dies, even by SIGKILL); a second
// writer is refused with the other process's id and command instead of interleaving its trials.
// Readers (`nas inspect`, `nas ls`) never take it.
#include <optional>
#include <string>

namespace nas {

class RunLock {
 public:
  // Takes the lock of run directory `dir` (which must exist) or throws nas::Error naming the process
  // that holds it. `purpose` is recorded for that message, e.g. "nas run quickstart.yaml".
  RunLock(const std::string& dir, const std::string& purpose);
  ~RunLock();
  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  // Writes who holds the lock into it, for a refused second writer to name. Called once the log has
  // passed its checks, not when the lock is taken: a writer refused by the checks leaves it as it was.
  void announce();

 private:
  int fd_ = -1;
  std::string purpose_;
  bool announced_ = false;
};

// The run directory's lock file; a directory without one has never had a writer.
inline constexpr const char* kRunLockFile = "lock";

// The live process that holds the lock of run directory `dir` ("process 12 (nas run x.yaml, since
// ...)"), if any, asked without creating or changing anything there: a reader trusts the commits a
// live writer keeps beside the log, and a refused writer is told who holds it.
std::optional<std::string> current_writer(const std::string& dir);

// What writing processes call themselves in the lock file; set once by the command line.
void set_lock_purpose(const std::string& purpose);
const std::string& lock_purpose();

}  // namespace nas
