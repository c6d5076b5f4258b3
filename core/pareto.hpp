#pragma once
// The Pareto front of a search: the architectures no other one beats on both accuracy and cost.
#include <cstddef>
#include <vector>

namespace nas {

struct CostAccuracy {
  double cost = 0;      // parameters or multiply-adds: lower is better
  double accuracy = 0;  // validation accuracy: higher is better
};

// Indices of the points that no other point dominates (dominating: cost <= and accuracy >=, one of
// them strictly), ordered by cost, then index. Equal points do not dominate each other, so a repeated
// result (a reused trial) stays on the front with the one it repeats.
std::vector<std::size_t> pareto_front(const std::vector<CostAccuracy>& points);

}  // namespace nas
