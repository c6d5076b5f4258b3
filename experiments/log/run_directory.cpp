#include "experiments/log/run_directory.hpp"

#include <ctime>

namespace nas {

std::string default_run_dir(const std::string& name) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  return std::string(kRunsDirectory) + "/" + name + "-" + stamp;
}

}  // namespace nas
