#include "experiments/report/graphviz.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/scratch_folder.hpp"

extern char** environ;

namespace nas {
namespace {

namespace fs = std::filesystem;

const char* const kNotInstalled =
    "Graphviz is not installed (no 'dot' program on PATH); apt-get install graphviz to draw architectures";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs `dot -Tsvg -o output input` with stderr to `messages` (and stdout nowhere: the caller's stdout
// may be what a user pipes on); returns its exit status.
int run_dot(const fs::path& input, const fs::path& output, const fs::path& messages) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, messages.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::string program = "dot", format = "-Tsvg", output_flag = "-o", output_path = output.string(),
              input_path = input.string();
  char* argv[] = {program.data(), format.data(), output_flag.data(), output_path.data(), input_path.data(), nullptr};
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, "dot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error == ENOENT) throw Error("dot", kNotInstalled);
  if (spawn_error != 0) throw Error("dot", std::string("cannot start: ") + std::strerror(spawn_error));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw Error("dot", std::string("cannot wait for it: ") + std::strerror(errno));
  if (!WIFEXITED(status)) throw Error("dot", "ended by signal " + std::to_string(WTERMSIG(status)));
  return WEXITSTATUS(status);
}

// Removes ` name="..."` from the first tag of `svg`, the <svg> tag itself.
void remove_root_attribute(std::string& svg, const std::string& name) {
  const std::size_t tag_end = svg.find('>');
  const std::size_t start = svg.find(" " + name + "=\"");
  if (start == std::string::npos || start > tag_end) return;
  const std::size_t value_end = svg.find('"', start + name.size() + 3);
  if (value_end == std::string::npos) return;
  svg.erase(start, value_end + 1 - start);
}

std::string inline_svg(const std::string& document, const std::string& id_prefix) {
  const std::size_t start = document.find("<svg");
  if (start == std::string::npos) throw Error("dot", "wrote no <svg> element");
  std::string svg = document.substr(start);
  remove_root_attribute(svg, "xmlns");
  remove_root_attribute(svg, "xmlns:xlink");
  const std::string id_attribute = " id=\"";
  for (std::size_t at = svg.find(id_attribute); at != std::string::npos;
       at = svg.find(id_attribute, at + id_attribute.size() + id_prefix.size()))
    svg.insert(at + id_attribute.size(), id_prefix);
  return svg;
}

}  // namespace

std::string dot_to_svg(const std::string& dot, const std::string& id_prefix) {
  const ScratchFolder scratch("nas-dot", "dot");
  const fs::path input = scratch / "graph.dot", output = scratch / "graph.svg", messages = scratch / "messages";
  write_whole_file(input.string(), dot);
  const int exit_code = run_dot(input, output, messages);
  // A child whose exec failed exits 127, which is how a missing program shows when spawn cannot say.
  if (exit_code == 127) throw Error("dot", kNotInstalled);
  if (exit_code != 0)
    throw Error("dot", "failed with exit code " + std::to_string(exit_code) + ": " + read_file(messages));
  return inline_svg(read_file(output), id_prefix);
}

}  // namespace nas
