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

// Parses "CxHxW", e.g. "3x32x32"; `where` names the flag in the error.
TaskShape parse_input_shape(const std::string& text, std::int64_t classes, const std::string& where);

}  // namespace nas
