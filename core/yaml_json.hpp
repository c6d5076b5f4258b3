#pragma once
#include <yaml-cpp/yaml.h>

#include "core/json.hpp"

namespace nas {

// A YAML tree as JSON, with scalars typed the way YAML reads them (integers, numbers, booleans, strings).
Json yaml_to_json(const YAML::Node& node);

}  // namespace nas
