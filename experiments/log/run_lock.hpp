#pragma once
// One writer per run directory. `nas run`, `nas resume` and anything else that writes a search log
// hold DIR/lock (an flock, so the kernel releases it when the process dies, even by SIGKILL); a second
// writer is refused with the other process's id and command instead of interleaving its trials.
// Readers (`nas inspect`, `nas ls`) never take it.
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

 private:
  int fd_ = -1;
};

// What writing processes call themselves in the lock file; set once by the command line.
void set_lock_purpose(const std::string& purpose);
const std::string& lock_purpose();

}  // namespace nas
