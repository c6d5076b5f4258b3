#include "experiments/log/run_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace nas {
namespace {


std::string& purpose_storage() {
  static std::string purpose = "nas";
  return purpose;
}

// The holder's own description of itself ("process 123 (nas run x.yaml, since ...)"), or a plain
// phrase when it has not written one yet: it writes it only once it writes the log (announce()), so
// the line may still be an earlier holder's, whose process is gone.
std::string holder_description(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  long pid = 0;
  if (std::sscanf(line.c_str(), "process %ld", &pid) != 1 || pid <= 0) return "another process";
  const bool alive = ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
  return alive ? line : "another process";
}

}  // namespace

void set_lock_purpose(const std::string& purpose) { purpose_storage() = purpose; }
const std::string& lock_purpose() { return purpose_storage(); }

RunLock::RunLock(const std::string& dir, const std::string& purpose) {
  const std::string path = (std::filesystem::path(dir) / kRunLockFile).string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(path, "cannot open the run's lock file: " + std::string(std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int reason = errno;
    ::close(fd_);
    fd_ = -1;
    if (reason == EWOULDBLOCK)
      throw Error(dir, "is being written by " + holder_description(path) +
                           "; only one process may write a run (nas inspect can read it meanwhile)");
    throw Error(path, "cannot lock: " + std::string(std::strerror(reason)));
  }
  purpose_ = purpose;
}

void RunLock::announce() {
  if (announced_ || fd_ < 0) return;
  announced_ = true;
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  std::ostringstream line;
  line << "process " << ::getpid() << " (" << purpose_ << ", since " << stamp << ")\n";
  const std::string text = line.str();
  // Rewritten in place: the file stays locked the whole time, so no reader of it sees a stale holder
  // for long; a failed write only makes the message vaguer.
  if (::ftruncate(fd_, 0) == 0) {
    const ssize_t written = ::pwrite(fd_, text.data(), text.size(), 0);
    (void)written;
  }
}

std::optional<std::string> current_writer(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / kRunLockFile).string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  // A shared lock is granted unless a writer holds the exclusive one; it is let go at once.
  const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  if (!held) return std::nullopt;
  return holder_description(path);
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

RunLock::RunLock(RunLock&& other) noexcept
    : fd_(other.fd_), purpose_(std::move(other.purpose_)), announced_(other.announced_) {
  other.fd_ = -1;
}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    purpose_ = std::move(other.purpose_);
    announced_ = other.announced_;
    other.fd_ = -1;
  }
  return *this;
}

}  // namespace nas
