#include "evaluators/training/network_weights.hpp"

#include <cstdio>
#include <filesystem>

#include "core/error.hpp"
#include "ops/network.hpp"

namespace nas {

void save_network_weights(Network& net, const std::string& path) {
  const std::string partial = path + ".partial";
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  try {
    torch::serialize::OutputArchive archive;
    net.save(archive);
    archive.save_to(partial);
  } catch (const c10::Error& e) {
    std::filesystem::remove(partial, ignored);
    throw Error(path, "cannot save the trained weights: " + e.msg());
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    std::filesystem::remove(partial, ignored);
    throw Error(path, "cannot move the saved weights into place");
  }
}

void load_network_weights(Network& net, const std::string& path) {
  if (!std::filesystem::exists(path)) throw Error(path, "no such weights file");
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    net.load(archive);
  } catch (const c10::Error& e) {
    throw Error(path, "cannot load the weights into the rebuilt architecture: " + e.msg());
  }
}

}  // namespace nas
