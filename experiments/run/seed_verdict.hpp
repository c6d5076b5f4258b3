#pragma once
// Whether a search found something better than the named architectures it started from (evolution's
// `seeds`): the sentence a run ends with, in its log's status and on the console.
#include <string>
#include <vector>

#include "controllers/controller.hpp"

namespace nas {

class SearchLog;

// E.g. "trial 12 (val_accuracy 0.8731) beat seed resnet18 (trial 0, val_accuracy 0.8612) by 0.0119",
// or "no trial beat seed resnet18 (trial 0, val_accuracy 0.8612); the best other trial, 7, reached
// 0.8530". Compares against the best of the seeds that were trained successfully. Empty without seeds.
std::string seed_verdict(const std::vector<SeedArchitecture>& seeds, const SearchLog& log);

}  // namespace nas
