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
      : std::runtime_error(where.empty() ? what : where + ": " + what), where_(std::move(where)) {}
  const std::string& where() const { return where_; }

 private:
  std::string where_;
};

}  // namespace nas
