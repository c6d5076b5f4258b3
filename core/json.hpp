#pragma once
#include <nlohmann/json.hpp>

namespace nas {
// Ordered so that genotypes and reports keep the order in which they were written.
using Json = nlohmann::ordered_json;
}  // namespace nas
