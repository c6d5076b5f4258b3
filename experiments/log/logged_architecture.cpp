#include "experiments/log/logged_architecture.hpp"

#include "core/error.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

Architecture rebuild_logged_architecture(const TrialRow& row, const SearchSpace& space, const std::string& log_path) {
  const std::string where = log_path + ": trial " + std::to_string(row.id);
  Architecture arch;
  try {
    arch = space.replay(Architecture::choices_from_json(row.arch));
  } catch (const Error& e) {
    throw Error(where, std::string("cannot rebuild the architecture: ") + e.what());
  }
  if (arch.hash() != row.arch_hash)
    throw Error(where, "the space rebuilds these choices into a different architecture (hash " + arch.hash() +
                           ", logged " + row.arch_hash + ")");
  return arch;
}

}  // namespace nas
