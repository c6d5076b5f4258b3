#pragma once
// Running the `nas` program as a user does, from the CLI tests: exit code and everything it printed.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>

namespace nas::testing {

// The NAS-Bench-201 table of ../shared/datasets, which the tabular evaluator's tests look trials up in.
inline const std::string kNb201Table = std::string(NAS_SHARED_DIR) + "/datasets/nasbench201/nb201.csv";

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

namespace nas::testing {

// Starts `nas ARGS` in the background with `environment` ("NAME=value ..." or empty) and its output
// discarded; returns its process id (the shell execs nas, so killing the id kills nas itself).
inline pid_t spawn_nas(const std::string& args, const std::string& environment = "") {
  const pid_t child = fork();
  if (child == 0) {
    const std::string command = environment + " exec " + NAS_BINARY + " " + args + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return child;
}

// Waits for a child started by spawn_nas; true when a signal (SIGKILL) ended it.
inline bool ended_by_signal(pid_t child) {
  int status = 0;
  waitpid(child, &status, 0);
  return WIFSIGNALED(status);
}

}  // namespace nas::testing
