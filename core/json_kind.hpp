#pragma once
#include <string>

#include "core/json.hpp"

namespace nas {

// How a message names a JSON value it did not expect: "an object", "a list", or the value itself.
inline std::string json_kind(const Json& json) {
  if (json.is_object()) return "an object";
  if (json.is_array()) return "a list";
  return json.dump();
}

}  // namespace nas
