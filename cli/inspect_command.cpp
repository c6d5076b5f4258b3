// `nas inspect DIR`: what a search did, read from its log (also while it runs).
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/report/html_report.hpp"
#include "experiments/report/inspect.hpp"

namespace nas {
namespace {

int inspect_command(const std::vector<std::string>& raw) {
  const Arguments args(raw,
                       {{"--json", false, "the whole log as JSON (with --trial: that trial)"},
                        {"--top", true, "rows in the table (default 10)"},
                        {"--trial", true, "one trial in full, by id"},
                        {"--html", true, "write a self-contained HTML report to FILE"}},
                       "inspect");
  if (args.has("--html") && (args.has("--json") || args.has("--trial") || args.has("--top")))
    throw Error("nas inspect --html", "writes the whole report; give it without --json, --trial and --top");
  if (args.has("--trial") && args.has("--top"))
    throw Error("nas inspect --trial", "shows one trial; give it without --top");
  const SearchLog log = SearchLog::open(args.single_positional("run DIR"), SearchLog::Mode::read_only);
  if (args.has("--html")) {
    const std::string file = args.value("--html");
    write_html_report(log, file);
    std::cout << "wrote " << file << "\n";
  } else if (args.has("--trial")) {
    const auto id = static_cast<std::int64_t>(args.integer("--trial", 0, 0));
    if (args.has("--json"))
      std::cout << inspect_trial_json(log, id).dump(2) << "\n";
    else
      std::cout << inspect_trial_text(log, id);
  } else if (args.has("--json")) {
    std::cout << inspect_json(log).dump(2) << "\n";
  } else {
    std::cout << inspect_text(log, static_cast<int>(args.integer("--top", 10, 1)));
  }
  return 0;
}

const bool registered = command_registry().add(
    "inspect", Command{"nas inspect DIR [--json] [--top K] [--trial ID] [--html FILE]",
                       "summarise a run: status counts, best so far, the top trials; one trial in full; "
                       "an HTML report with plots",
                       inspect_command});

}  // namespace
}  // namespace nas
