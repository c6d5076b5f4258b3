#pragma once
// What every harness shares: what counts as a finding, and scratch files for readers that take a path.
//
// A reader may refuse an input, and does so with a nas::Error naming the file and the problem. Any other
// way out is a finding: a crash or sanitizer report (libFuzzer stops on its own), another exception type
// (the user would see e.g. "std::bad_alloc" with no file or key), or a message that echoes more than a
// short excerpt of the input.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/scratch_folder.hpp"

namespace nas::fuzz {

// Error keeps a message to an excerpt (a 10 MB genotype string once gave 10 MB of stderr); a longer one
// was made some other way.
inline constexpr std::size_t kMaxMessageBytes = Error::kMaxMessageBytes + 64;

template <typename Reader>
void expect_clean_refusal(Reader&& read) {
  try {
    read();
  } catch (const Error& error) {
    const std::string message = error.what();
    if (message.size() > kMaxMessageBytes) {
      std::fprintf(stderr, "finding: a %zu-byte error message (limit %zu): %.300s...\n", message.size(),
                   kMaxMessageBytes, message.c_str());
      std::abort();
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "finding: an exception that is not nas::Error escaped: %.500s\n", error.what());
    std::abort();
  }
}

// A folder of this process's own under the temporary folder, removed at exit.
inline const ScratchFolder& scratch_folder() {
  static const ScratchFolder folder("nas-fuzz", "fuzz harness");
  return folder;
}

inline std::string write_scratch_file(const std::string& name, const std::string& bytes) {
  const std::string path = (scratch_folder() / name).string();
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  return path;
}

// The input cut at NUL bytes, for harnesses that take several texts (a file and its flags, or a
// dataset's files). At most `count` parts; the last one takes the rest.
inline std::vector<std::string> split_at_nul(const std::string& input, std::size_t count) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (parts.size() + 1 < count) {
    const std::size_t nul = input.find('\0', start);
    if (nul == std::string::npos) break;
    parts.push_back(input.substr(start, nul - start));
    start = nul + 1;
  }
  parts.push_back(input.substr(start));
  return parts;
}

}  // namespace nas::fuzz
