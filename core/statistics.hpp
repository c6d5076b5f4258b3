#pragma once
// Mean and spread of repeated measurements (trainings of one architecture), where the search, the
// re-evaluation and the reports all need the same figures.
#include <utility>
#include <vector>

namespace nas {

// The mean and the population standard deviation (as papers report "mean ± std"); {0, 0} for none.
std::pair<double, double> mean_and_std(const std::vector<double>& values);

}  // namespace nas
