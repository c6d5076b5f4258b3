#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/fault_injection.hpp"
#include "core/io_error.hpp"

namespace nas {

void write_whole_file(const std::string& path, const std::string& bytes) {
  const auto fail = [&](int fd, int error) {
    if (fd >= 0) ::close(fd);
    ::unlink(path.c_str());
    throw IoError(path, "cannot write " + std::to_string(bytes.size()) + " bytes: " + std::strerror(error));
  };
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError(path, "cannot create the file: " + std::string(std::strerror(errno)));
  std::size_t written = 0;
  while (written < bytes.size()) {
    if (const int injected = injected_write_error("file")) fail(fd, injected);
    const ssize_t step = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (step < 0 && errno == EINTR) continue;
    if (step <= 0) fail(fd, step < 0 ? errno : ENOSPC);
    written += static_cast<std::size_t>(step);
  }
  // A file system that allocates late (ext4, NFS) reports a full disk only here.
  if (::fsync(fd) != 0) fail(fd, errno);
  if (::close(fd) != 0) fail(-1, errno);
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string partial = path + ".partial";
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  write_whole_file(partial, bytes);
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::filesystem::remove(partial, ignored);
    throw IoError(path, "cannot move the written file into place: " + std::string(std::strerror(error)));
  }
}

void copy_whole_file(const std::string& from, const std::string& to, std::error_code& error) {
  if (const int injected = injected_write_error("file")) {
    error = std::error_code(injected, std::generic_category());
    return;
  }
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, error);
}

std::string read_whole_file(const std::string& path, std::size_t max_bytes) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) throw Error(path, "cannot be read: " + error.message());
  if (size > max_bytes)
    throw Error(path, "holds " + std::to_string(size) + " bytes, over the " + std::to_string(max_bytes) + " accepted");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw Error(path, "cannot be read");
  return text.str();
}

}  // namespace nas
