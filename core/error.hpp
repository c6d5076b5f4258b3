#pragma once
// Errors are values with a location; they travel up to the command line and are printed once there.
#include <stdexcept>
#include <string>

namespace nas {

class Error : public std::runtime_error {
 public:
  // `where` is a location a user can find: "experiment.yaml:7:14", "--set controller.population=x",
  // a run directory, a command-line flag. Empty when there is nothing more precise than the message.
  Error(std::string where, const std::string& what)
      : std::runtime_error(excerpt(where.empty() ? what : where + ": " + what)), where_(excerpt(std::move(where))) {}
  const std::string& where() const { return where_; }

  // The most of a message an error keeps; see excerpt().
  static constexpr std::size_t kMaxMessageBytes = 1024;

  // `text`, or its start and end around a note of how much was left out when it is longer than
  // kMaxMessageBytes: a message quotes what it is about, and an input of megabytes (a genotype string,
  // a file without line breaks) must not come back whole on the terminal. The end is kept because it
  // often says what is accepted.
  static std::string excerpt(std::string text) {
    if (text.size() <= kMaxMessageBytes) return text;
    constexpr std::size_t kHead = 640, kTail = 320;
    return text.substr(0, kHead) + " [... " + std::to_string(text.size() - kHead - kTail) + " bytes left out ...] " +
           text.substr(text.size() - kTail);
  }

 private:
  std::string where_;
};

}  // namespace nas
