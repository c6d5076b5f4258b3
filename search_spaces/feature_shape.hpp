#pragma once
// The shape of one example's feature map between two ops: what the spaces' plans and op graphs track.
#include <cstdint>
#include <string>

namespace nas {

struct FeatureShape {
  std::int64_t channels = 0;
  std::int64_t height = 0;
  std::int64_t width = 0;

  bool operator==(const FeatureShape& other) const {
    return channels == other.channels && height == other.height && width == other.width;
  }
  bool operator!=(const FeatureShape& other) const { return !(*this == other); }
  std::string text() const;  // "CxHxW"
};

}  // namespace nas
