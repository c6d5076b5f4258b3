#pragma once
// Builds a network with reproducible initial weights. Weight initialisation draws from torch's one
// global generator, so seeding it and building must not interleave with another worker doing the same.
#include <cstdint>
#include <memory>

#include "search_spaces/search_space.hpp"

namespace nas {

class Network;

// space.build(arch, task) right after torch::manual_seed(seed), both under one process-wide mutex:
// a given (arch, seed) gets the same initial weights however many workers build at once.
// Training does not draw from the global generator: the trainers give dropout and drop path a
// generator of the training's own (ops/training_random), so no lock is needed past the build.
std::shared_ptr<Network> build_seeded(const SearchSpace& space, const Architecture& arch, const TaskShape& task,
                                      std::uint64_t seed);

}  // namespace nas
