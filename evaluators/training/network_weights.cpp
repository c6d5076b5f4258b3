#include "evaluators/training/network_weights.hpp"

#include <filesystem>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "ops/network.hpp"

namespace nas {

void save_network_weights(Network& net, const std::string& path) {
  // Into memory first (a full disk under LibTorch's own file writer throws from a destructor and ends
  // the process), then to the file aside and renamed into place, every failure an error.
  std::ostringstream bytes;
  try {
    torch::serialize::OutputArchive archive;
    net.save(archive);
    archive.save_to(bytes);
  } catch (const c10::Error& e) {
    throw Error(path, "cannot save the trained weights: " + e.msg());
  }
  write_file_atomically(path, bytes.str());
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
