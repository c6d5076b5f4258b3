#pragma once
// The benches take "--flag value" pairs. A flag without its value used to be dropped silently, so a
// mistyped or lone flag (`--help`) ran the default bench and its figures looked like the asked-for ones.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nas_bench {

// The (flag, value) pairs of argv in order. Throws std::invalid_argument with `usage` appended when
// a flag has no value or is --help/-h.
inline std::vector<std::pair<std::string, std::string>> flag_values(int argc, char** argv, const std::string& usage) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") throw std::invalid_argument("usage: " + usage);
    if (i + 1 == argc) throw std::invalid_argument(flag + " needs a value\nusage: " + usage);
    pairs.emplace_back(flag, argv[i + 1]);
  }
  return pairs;
}

}  // namespace nas_bench
