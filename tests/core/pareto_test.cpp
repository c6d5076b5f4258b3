#include "core/pareto.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace nas {
namespace {

bool dominates(const CostAccuracy& a, const CostAccuracy& b) {
  return a.cost <= b.cost && a.accuracy >= b.accuracy && (a.cost < b.cost || a.accuracy > b.accuracy);
}

TEST(ParetoFront, HandMadeSet) {
  const std::vector<CostAccuracy> points = {
      {10, 0.50},  // 0: front
      {5, 0.40},   // 1: front, the cheapest
      {10, 0.45},  // 2: same cost as 0, less accurate
      {20, 0.50},  // 3: as accurate as 0, dearer
      {20, 0.70},  // 4: front
      {30, 0.60},  // 5: beaten by 4
      {40, 0.90},  // 6: front, the most accurate
      {40, 0.90},  // 7: equal to 6 (a reused result): front too
      {50, 0.90},  // 8: as accurate as 6, dearer
  };
  EXPECT_EQ(pareto_front(points), (std::vector<std::size_t>{1, 0, 4, 6, 7}));
}

TEST(ParetoFront, EmptyAndSingle) {
  EXPECT_TRUE(pareto_front({}).empty());
  EXPECT_EQ(pareto_front({{3, 0.2}}), (std::vector<std::size_t>{0}));
}

// On coarse random values (many ties), the front is exactly the set of points nothing dominates.
TEST(ParetoFront, MatchesTheDefinitionOnRandomPoints) {
  std::mt19937 engine(7);
  std::uniform_int_distribution<int> coarse(0, 9);
  std::vector<CostAccuracy> points;
  for (int i = 0; i < 200; ++i) points.push_back({1.0 + coarse(engine), coarse(engine) / 10.0});
  const std::vector<std::size_t> front = pareto_front(points);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const bool dominated = std::any_of(points.begin(), points.end(),
                                       [&](const CostAccuracy& other) { return dominates(other, points[i]); });
    const bool on_front = std::find(front.begin(), front.end(), i) != front.end();
    EXPECT_EQ(on_front, !dominated) << "point " << i;
  }
  for (std::size_t k = 1; k < front.size(); ++k) EXPECT_LE(points[front[k - 1]].cost, points[front[k]].cost);
}

}  // namespace
}  // namespace nas
