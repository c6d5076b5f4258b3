#pragma once
// Whole files written so that no reader, and no process killed mid-write, ever finds half of one under
// its name: written aside, then renamed into place.
#include <cstddef>
#include <string>

namespace nas {

// Creates the parent folder if missing. Throws nas::Error naming `path`.
void write_file_atomically(const std::string& path, const std::string& bytes);
// The whole file; refuses one over `max_bytes`. Throws nas::Error naming `path`.
std::string read_whole_file(const std::string& path, std::size_t max_bytes);

}  // namespace nas
