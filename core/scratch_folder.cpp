#include "core/scratch_folder.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace nas {

ScratchFolder::ScratchFolder(const std::string& prefix, const std::string& reported_as) {
  std::error_code error;
  std::string pattern = (std::filesystem::temp_directory_path(error) / (prefix + "-XXXXXX")).string();
  if (error || ::mkdtemp(pattern.data()) == nullptr)
    throw Error(reported_as, "cannot make a scratch folder " + pattern + ": " + std::strerror(error ? ENOENT : errno));
  path_ = pattern;
}

ScratchFolder::~ScratchFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace nas
