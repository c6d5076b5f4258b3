#pragma once
// The benches take "--flag value" pairs. A flag without its value used to be dropped silently, so a
// mistyped or lone flag (`--help`) ran the default bench and its figures looked like the asked-for ones;
// a number like "1O" was read as 1 by std::stoi, or failed with a bare "stoi" that named no flag.
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nas_bench {

// A command line the bench cannot run: the message names the flag and ends with the usage.
struct UsageError : std::invalid_argument {
  UsageError(const std::string& message, bool help_asked = false)
      : std::invalid_argument(message), help_asked(help_asked) {}
  bool help_asked;  // --help or -h: the usage is the answer, not an error
};

// Prints `error` as `nas` prints its usage errors: --help to stdout with exit code 0, anything else to
// stderr with exit code 2 (a failure while benchmarking exits 1).
inline int report(const char* bench, const UsageError& error) {
  if (error.help_asked) {
    std::cout << error.what() << "\n";
    return 0;
  }
  std::cerr << bench << ": " << error.what() << "\n";
  return 2;
}

// The (flag, value) pairs of argv in order. Throws UsageError when a flag has no value or is --help/-h.
inline std::vector<std::pair<std::string, std::string>> flag_values(int argc, char** argv, const std::string& usage) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") throw UsageError("usage: " + usage, true);
    if (i + 1 == argc) throw UsageError(flag + " needs a value\nusage: " + usage);
    pairs.emplace_back(flag, argv[i + 1]);
  }
  return pairs;
}

// `value` of `flag` as a whole number in [minimum, maximum]; the whole text must be the number.
inline int whole_number(const std::string& flag, const std::string& value, long minimum = 0, long maximum = 1000000000) {
  char* end = nullptr;
  const long number = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || number < minimum || number > maximum)
    throw UsageError(flag + ": '" + value + "' is not a whole number from " + std::to_string(minimum) + " to " +
                     std::to_string(maximum));
  return static_cast<int>(number);
}

// `value` of `flag` as a number above zero (seconds and the like); the whole text must be the number.
inline double positive_number(const std::string& flag, const std::string& value) {
  char* end = nullptr;
  const double number = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !(number > 0))
    throw UsageError(flag + ": '" + value + "' is not a number above 0");
  return number;
}

}  // namespace nas_bench
