// `nas inspect DIR`: what a search did, read from its log (also while it runs).
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "experiments/inspect.hpp"
#include "experiments/search_log.hpp"

namespace nas {
namespace {

int inspect_command(const std::vector<std::string>& raw) {
  const Arguments args(raw, {{"--json", false, "the whole log as JSON"}, {"--top", true, "rows in the table (default 10)"}},
                       "inspect");
  const SearchLog log = SearchLog::open(args.single_positional("run DIR"), SearchLog::Mode::read_only);
  if (args.has("--json"))
    std::cout << inspect_json(log).dump(2) << "\n";
  else
    std::cout << inspect_text(log, static_cast<int>(args.integer("--top", 10, 1)));
  return 0;
}

const bool registered = command_registry().add(
    "inspect", Command{"nas inspect DIR [--json] [--top K]",
                       "summarise a run: status counts, best so far, the top trials", inspect_command});

}  // namespace
}  // namespace nas
