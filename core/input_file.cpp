#include "core/input_file.hpp"

#include <filesystem>

#include "core/error.hpp"

namespace nas {

void require_regular_file(const std::string& path, const std::string& what) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) return;
  if (std::filesystem::is_directory(status)) throw Error(path, "is a directory, not " + what);
  if (!std::filesystem::is_regular_file(status))
    throw Error(path, "is not a regular file (a device or a pipe?); " + what + " must be a file");
}

}  // namespace nas
