#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace nas {

// One categorical choice made while building an architecture.
struct Decision {
  std::string key;                   // what is decided, e.g. "normal/b2/op_a"
  std::vector<std::string> options;  // labels of the options
  std::vector<double> prior;         // prior probability per option; empty means uniform
};

// What was chosen for one Decision: enough to replay it and to show it.
struct Choice {
  std::string key;
  std::size_t index = 0;
  std::string label;
};

}  // namespace nas
