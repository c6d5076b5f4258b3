#pragma once
// A number that must be strictly above 0 (ConfigNode's ranges are closed): a learning rate, a
// temperature, a clip range.
#include <limits>

#include "core/config_node.hpp"

namespace nas::rl {

double positive_number(const ConfigNode& options, const std::string& key, double fallback,
                       double max = std::numeric_limits<double>::infinity());

}  // namespace nas::rl
