// The mean ± std that re-evaluation tables, the conservative climb and `nas inspect` report.
#include <gtest/gtest.h>

#include "core/statistics.hpp"

namespace nas {
namespace {

TEST(MeanAndStd, GivesThePopulationDeviationAsPapersReportIt) {
  const auto [mean, std] = mean_and_std({0.80, 0.82, 0.84, 0.86});
  EXPECT_NEAR(mean, 0.83, 1e-12);
  EXPECT_NEAR(std, 0.0223606797749979, 1e-12);  // sqrt(0.0005): divided by 4, not 3
  EXPECT_EQ(mean_and_std({0.81}), (std::pair<double, double>{0.81, 0.0}));
  EXPECT_EQ(mean_and_std({}), (std::pair<double, double>{0.0, 0.0}));
}

}  // namespace
}  // namespace nas
