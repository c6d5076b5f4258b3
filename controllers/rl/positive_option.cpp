#include "controllers/rl/positive_option.hpp"

namespace nas::rl {

double positive_number(const ConfigNode& options, const std::string& key, double fallback, double max) {
  const double value = options.number(key, fallback, 0.0, max);
  if (!(value > 0)) throw options.error(key, "must be above 0, got 0");
  return value;
}

}  // namespace nas::rl
