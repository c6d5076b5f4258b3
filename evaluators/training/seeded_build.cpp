#include "evaluators/training/seeded_build.hpp"

#include <mutex>

#include "ops/network.hpp"

namespace nas {

std::shared_ptr<Network> build_seeded(const SearchSpace& space, const Architecture& arch, const TaskShape& task,
                                      std::uint64_t seed) {
  static std::mutex global_generator_mutex;
  const std::lock_guard<std::mutex> lock(global_generator_mutex);
  torch::manual_seed(seed);
  return space.build(arch, task);
}

}  // namespace nas
