// Reading architectures back from a log (resume, export, drawings) refuses what the space no longer
// rebuilds as logged, instead of training or drawing another network under the logged trial's name.
#include "experiments/log/logged_architecture.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tests/support/toy_space.hpp"

namespace nas {
namespace {

TrialRow row_of(const Architecture& arch) {
  TrialRow row;
  row.id = 7;
  row.arch = arch.to_json();
  row.arch_hash = arch.hash();
  return row;
}

std::string error_of(const TrialRow& row, const SearchSpace& space) {
  try {
    rebuild_logged_architecture(row, space, "run/search.db");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(LoggedArchitecture, RebuildsTheLoggedArchitecture) {
  const testing::ToySpace space;
  Rng rng(3);
  RandomPolicy policy(rng);
  const Architecture arch = space.sample(policy);
  EXPECT_EQ(rebuild_logged_architecture(row_of(arch), space, "run/search.db").hash(), arch.hash());
}

TEST(LoggedArchitecture, RefusesChoicesTheSpaceNoLongerHasOrRebuildsDifferently) {
  const testing::ToySpace space;
  Rng rng(3);
  RandomPolicy policy(rng);
  TrialRow changed = row_of(space.sample(policy));
  changed.arch_hash = "0123456789abcdef";
  const std::string different = error_of(changed, space);
  EXPECT_NE(different.find("run/search.db: trial 7: the space rebuilds these choices into a different architecture"),
            std::string::npos)
      << different;

  TrialRow unknown = row_of(space.sample(policy));
  unknown.arch["choices"][0][1] = "no-such-option";
  const std::string refused = error_of(unknown, space);
  EXPECT_NE(refused.find("run/search.db: trial 7: cannot rebuild the architecture"), std::string::npos) << refused;
}

}  // namespace
}  // namespace nas
