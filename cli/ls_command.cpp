// `nas ls [DIR]`: the runs under DIR (default runs/), one line each: status, progress, best result.
#include <filesystem>
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "experiments/log/run_directory.hpp"
#include "experiments/report/run_listing.hpp"

namespace nas {
namespace {

int ls_command(const std::vector<std::string>& raw) {
  const Arguments args(raw, {}, "ls");
  if (args.positional().size() > 1)
    throw Error("nas ls", "expected at most one DIR, got also '" + args.positional()[1] + "'");
  const std::string dir = args.positional().empty() ? kRunsDirectory : args.positional().front();
  const std::vector<RunListing> runs = list_runs(dir);
  if (runs.empty() && std::filesystem::exists(std::filesystem::path(dir) / "search.db"))
    std::cout << "no runs under " << dir << "; it is a run itself: nas inspect " << dir << "\n";
  else if (runs.empty())
    std::cout << "no runs under " << dir << "\n";
  else
    std::cout << run_listing_text(runs);
  return 0;
}

const bool registered = command_registry().add(
    "ls", Command{"nas ls [DIR]", "list the runs under DIR (default runs): status, trials done, best, start",
                  ls_command});

}  // namespace
}  // namespace nas
