#pragma once
// A policy that takes the first option of every decision and keeps the decisions a space asked, for
// tests of what a space asks.
#include <vector>

#include "core/policy.hpp"

namespace nas::testing {

class RecordingPolicy : public Policy {
 public:
  std::size_t choose(const Decision& decision) override {
    asked.push_back(decision);
    return 0;
  }
  std::vector<Decision> asked;
};

}  // namespace nas::testing
