#include "core/pareto.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace nas {

std::vector<std::size_t> pareto_front(const std::vector<CostAccuracy>& points) {
  // Cheapest first; among equal costs the most accurate first, so each cost group leads with its best.
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (points[a].cost != points[b].cost) return points[a].cost < points[b].cost;
    return points[a].accuracy > points[b].accuracy;
  });

  std::vector<std::size_t> front;
  double best_cheaper = -std::numeric_limits<double>::infinity();  // best accuracy at a lower cost
  for (std::size_t group = 0; group < order.size();) {
    const double cost = points[order[group]].cost;
    const double group_best = points[order[group]].accuracy;
    std::size_t end = group;
    for (; end < order.size() && points[order[end]].cost == cost; ++end)
      if (group_best > best_cheaper && points[order[end]].accuracy == group_best) front.push_back(order[end]);
    best_cheaper = std::max(best_cheaper, group_best);
    group = end;
  }
  return front;
}

}  // namespace nas
