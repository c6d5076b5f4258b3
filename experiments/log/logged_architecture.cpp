#include "experiments/log/logged_architecture.hpp"

#include "search_spaces/search_space.hpp"

namespace nas {

Architecture rebuild_logged_architecture(const TrialRow& row, const SearchSpace& space, const std::string& log_path) {
  return replay_recorded(space, row.arch, row.arch_hash, log_path + ": trial " + std::to_string(row.id));
}

}  // namespace nas
