#pragma once
// Running the `nas` program as a user does, from the CLI tests: exit code and everything it printed.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace nas::testing {

struct Outcome {
  int exit_code;
  std::string output;  // what the command printed (stdout, and stderr where it is redirected there)
};

// Runs `command` in /bin/sh.
inline Outcome shell_command(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// Runs `nas ARGS`, stdout and stderr together.
inline Outcome nas_command(const std::string& args) {
  return shell_command(std::string(NAS_BINARY) + " " + args + " 2>&1");
}

// Runs `nas ARGS` and keeps its stdout alone (what a program would parse).
inline Outcome nas_stdout(const std::string& args) {
  return shell_command(std::string(NAS_BINARY) + " " + args + " 2>/dev/null");
}

}  // namespace nas::testing
