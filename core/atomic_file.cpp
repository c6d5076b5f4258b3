#include "core/atomic_file.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace nas {

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string partial = path + ".partial";
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::filesystem::remove(partial, ignored);
      throw Error(path, "cannot write " + std::to_string(bytes.size()) + " bytes beside it");
    }
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    std::filesystem::remove(partial, ignored);
    throw Error(path, "cannot move the written file into place");
  }
}

std::string read_whole_file(const std::string& path, std::size_t max_bytes) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) throw Error(path, "cannot be read: " + error.message());
  if (size > max_bytes)
    throw Error(path, "holds " + std::to_string(size) + " bytes, over the " + std::to_string(max_bytes) + " accepted");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw Error(path, "cannot be read");
  return text.str();
}

}  // namespace nas
