#include "search_spaces/feature_shape.hpp"

namespace nas {

std::string FeatureShape::text() const {
  return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
}

}  // namespace nas
