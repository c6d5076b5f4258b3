#pragma once
// Mean and spread of repeated measurements (trainings of one architecture), and how well one ranking
// agrees with another (a supernet's inherited accuracies against stand-alone ones), where the search,
// the re-evaluation, the reports and the benchmarks all need the same figures.
#include <optional>
#include <utility>
#include <vector>

namespace nas {

// The mean and the population standard deviation (as papers report "mean ± std"); {0, 0} for none.
std::pair<double, double> mean_and_std(const std::vector<double>& values);

// Kendall's tau-b of paired values: (concordant - discordant) / sqrt((n0 - ties_x)(n0 - ties_y)) over
// the n0 = n(n-1)/2 pairs, so ties in either list (equal accuracies) neither count for nor against.
// The rank correlation the weight-sharing literature reports (NAS-Bench-201 one-shot: about 0.5).
// Nothing (nullopt) for fewer than two pairs, lists of different lengths, or a list of equal values.
std::optional<double> kendall_tau(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace nas
