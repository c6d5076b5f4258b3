#pragma once
// A candidate that cannot be evaluated (NaN loss, over the size cap, over its time, a shape error):
// it fails its trial, never the search. The message is the reason recorded in the log.
#include <stdexcept>
#include <string>

namespace nas {

class TrialFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  // From a library's error text (LibTorch's carries a C++ stack after its first line): the log wants
  // only the reason.
  static TrialFailure from_library_message(const std::string& text) {
    return TrialFailure(text.substr(0, text.find('\n')));
  }
};

}  // namespace nas
