#pragma once
// Whole files written so that no reader, and no process killed mid-write, ever finds half of one under
// its name: written aside, then renamed into place. Every write is checked to the end (a full disk is
// an error naming the file, never a truncated file that looks whole).
#include <cstddef>
#include <string>
#include <system_error>

namespace nas {

// Writes `bytes` to `path` (created or truncated) and flushes them to the disk. Throws nas::IoError
// (core/io_error.hpp) naming `path` with the system's reason; a failed write removes what it wrote. For files that a
// caller moves into place itself; everything else uses write_file_atomically.
void write_whole_file(const std::string& path, const std::string& bytes);
// Writes PATH.partial, then renames it to `path`. Creates the parent folder if missing. Throws
// nas::IoError naming `path`; on failure nothing is left under either name.
void write_file_atomically(const std::string& path, const std::string& bytes);
// Copies `from` to `to` (replacing it) with std::filesystem::copy_file, failing as a full or failing
// disk when NAS_FAULT_FAIL_WRITE names this write (core/fault_injection.hpp: a copy is one whole-file
// write); the reason is left in `error`. The caller flushes the copy and moves it into place.
void copy_whole_file(const std::string& from, const std::string& to, std::error_code& error);
// The whole file; refuses one over `max_bytes`. Throws nas::Error naming `path`.
std::string read_whole_file(const std::string& path, std::size_t max_bytes);

}  // namespace nas
