// `nas`: dispatches to the registered subcommands. Errors from anywhere below are printed here, once.
#include <c10/util/Exception.h>

#include <iostream>

#include "cli/command.hpp"
#include "cli/mpi_launch.hpp"
#include "core/error.hpp"
#include "core/suggest.hpp"
#include "evaluators/training/allocator_settings.hpp"
#include "evaluators/training/runtime_info.hpp"
#include "evaluators/runner/mpi_world.hpp"
#include "experiments/log/run_lock.hpp"

namespace nas {

Registry<Command>& command_registry() {
  static Registry<Command> registry;
  return registry;
}

namespace {

void print_help(std::ostream& out) {
  out << "nas " << NAS_VERSION << ": neural architecture search on LibTorch\n\nusage:\n";
  for (const auto& name : command_registry().names()) {
    const Command& command = *command_registry().find(name);
    out << "  " << command.usage << "\n      " << command.summary << "\n";
  }
  out << "  nas --version\n      program, LibTorch, BLAS and thread settings\n";
}

}  // namespace
}  // namespace nas

namespace nas {
namespace {

int run_command_line(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "nas " << NAS_VERSION << "\n" << describe_runtime(runtime_info());
    return 0;
  }
  const Command* command = command_registry().find(args[0]);
  if (!command) {
    std::cerr << "nas: unknown command '" << args[0] << "'; " << accepted_list(args[0], command_registry().names())
              << "\n";
    return 2;
  }
  // `nas run --help` and the like: the command's usage, not an "unknown option" error.
  for (auto arg = args.begin() + 1; arg != args.end(); ++arg) {
    if (*arg == "--help" || *arg == "-h") {
      std::cout << "usage: " << command->usage << "\n      " << command->summary << "\n";
      return 0;
    }
  }
  // A run's lock file names the command that holds it, for the message another writer gets.
  std::string invocation = "nas";
  for (const std::string& arg : args) invocation += " " + arg;
  set_lock_purpose(invocation);
  try {
    return command->run(std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const Error& e) {
    std::cerr << "nas: error: " << e.what() << "\n";
  } catch (const c10::Error& e) {
    std::cerr << "nas: error: " << e.what_without_backtrace() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "nas: error: " << e.what() << "\n";
  }
  return 1;
}

}  // namespace
}  // namespace nas

int main(int argc, char** argv) {
  using namespace nas;
  keep_freed_memory_for_reuse();
  if (MpiWorld::launched()) {
    // MPI_Init may take its own arguments off the command line first.
    return run_in_mpi_job(&argc, &argv, [&] { return run_command_line(std::vector<std::string>(argv + 1, argv + argc)); });
  }
  return run_command_line(std::vector<std::string>(argv + 1, argv + argc));
}
