#include "cli/run_console.hpp"

#include <unistd.h>

#include <iostream>

namespace nas {

RunConsole run_console(bool quiet) {
  RunConsole console;
  console.out = &std::cout;
  console.notes = &std::cerr;
  if (!quiet) {
    console.progress = &std::cerr;
    console.progress_in_place = isatty(STDERR_FILENO) != 0;
  }
  return console;
}

}  // namespace nas
