#pragma once
#include <cstdint>
#include <string>

namespace nas {

// What a network is built for: the shape of one input example and the number of classes.
struct TaskShape {
  std::int64_t channels = 1;
  std::int64_t height = 28;
  std::int64_t width = 28;
  std::int64_t classes = 10;
};

// The largest tasks nas builds networks for, so that sizes and counts (multiply-adds are int64) cannot
// overflow: far above ImageNet's 3x224x224 and 1000 classes and Citeseer's 3,703 features per node.
inline constexpr std::int64_t kMaxInputChannels = 1'000'000;  // channels, or features per graph node
inline constexpr std::int64_t kMaxInputSide = 16'384;         // image height and width
inline constexpr std::int64_t kMaxClasses = 100'000;

// Parses "CxHxW", e.g. "3x32x32"; `where` names the flag in the error.
TaskShape parse_input_shape(const std::string& text, std::int64_t classes, const std::string& where);

}  // namespace nas
