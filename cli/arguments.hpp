#pragma once
// Command-line flags of one subcommand: declared, then parsed; anything undeclared is an error.
#include <map>
#include <string>
#include <vector>

namespace nas {

struct FlagSpec {
  std::string name;        // "--out"
  bool takes_value = true;
  std::string help;
};

class Arguments {
 public:
  // Accepts "--flag value" and "--flag=value"; a flag given twice keeps every value (--set).
  Arguments(const std::vector<std::string>& args, const std::vector<FlagSpec>& flags, const std::string& command);

  const std::vector<std::string>& positional() const { return positional_; }
  // The one positional argument `what` names; error when missing or when there are more.
  std::string single_positional(const std::string& what) const;
  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::string value(const std::string& flag, const std::string& fallback = "") const;
  long long integer(const std::string& flag, long long fallback, long long min) const;
  std::vector<std::string> all(const std::string& flag) const;

 private:
  std::string command_;
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace nas
