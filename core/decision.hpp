#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace nas {

// One categorical choice made while building an architecture.
struct Decision {
  std::string key;                   // what is decided, e.g. "normal/b2/op_a"
  std::vector<std::string> options;  // labels of the options offered here
  std::vector<double> prior;         // prior probability per option; empty means uniform
  // The family this decision belongs to (e.g. "op"): one of the space's decision_kinds(). Its options
  // are a subset of the kind's; a learned policy masks the kind's other options. Empty: no kind.
  std::string kind;
};

// A family of decisions and every option a decision of it can offer: what a learned policy sizes one
// output head (and one embedding per option) by.
struct DecisionKind {
  std::string name;
  std::vector<std::string> options;
};

// What was chosen for one Decision: enough to replay it and to show it.
struct Choice {
  std::string key;
  std::size_t index = 0;
  std::string label;
};

}  // namespace nas
