#pragma once
// Subcommands of `nas` register themselves here; main() only dispatches and prints errors.
#include <functional>
#include <string>
#include <vector>

#include "core/registry.hpp"

namespace nas {

struct Command {
  std::string usage;    // "nas run FILE [--out DIR] [--set key.path=value ...]"
  std::string summary;  // one line for `nas --help`
  std::function<int(const std::vector<std::string>& args)> run;  // returns the exit code
};

Registry<Command>& command_registry();

}  // namespace nas
