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

TEST(KendallTau, CountsConcordantAgainstDiscordantPairs) {
  EXPECT_DOUBLE_EQ(*kendall_tau({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
  EXPECT_DOUBLE_EQ(*kendall_tau({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  // 10 pairs: 7 concordant, 3 discordant.
  EXPECT_NEAR(*kendall_tau({1, 2, 3, 4, 5}, {3, 1, 2, 5, 4}), 0.4, 1e-12);
}

TEST(KendallTau, TiesCountForNeitherSideAsTauB) {
  // 10 pairs: one tied in x, one tied in y, 7 concordant, 1 discordant: 6 / sqrt(9 * 9).
  EXPECT_NEAR(*kendall_tau({0.8, 0.8, 0.7, 0.9, 0.6}, {0.5, 0.6, 0.6, 0.9, 0.1}), 6.0 / 9.0, 1e-12);
}

TEST(KendallTau, IsUndefinedWithoutTwoPairsOrWithAConstantList) {
  EXPECT_FALSE(kendall_tau({0.5}, {0.5}).has_value());
  EXPECT_FALSE(kendall_tau({1, 2}, {1, 2, 3}).has_value());
  EXPECT_FALSE(kendall_tau({0.7, 0.7, 0.7}, {1, 2, 3}).has_value());
}

}  // namespace
}  // namespace nas
