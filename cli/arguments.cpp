#include "cli/arguments.hpp"

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace nas {

Arguments::Arguments(const std::vector<std::string>& args, const std::vector<FlagSpec>& flags,
                     const std::string& command)
    : command_(command) {
  std::vector<std::string> names;
  for (const auto& flag : flags) names.push_back(flag.name);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      positional_.push_back(arg);
      continue;
    }
    const auto equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const FlagSpec* spec = nullptr;
    for (const auto& flag : flags)
      if (flag.name == name) spec = &flag;
    if (!spec) throw Error("nas " + command_, "unknown option '" + name + "'; " + accepted_list(name, names));
    if (!spec->takes_value) {
      if (equals != std::string::npos) throw Error("nas " + command_, name + " takes no value");
      values_[name].push_back("");
    } else if (equals != std::string::npos) {
      values_[name].push_back(arg.substr(equals + 1));
    } else {
      if (i + 1 >= args.size()) throw Error("nas " + command_, name + " needs a value");
      values_[name].push_back(args[++i]);
    }
  }
}

std::string Arguments::single_positional(const std::string& what) const {
  if (positional_.empty()) throw Error("nas " + command_, "missing " + what);
  if (positional_.size() > 1)
    throw Error("nas " + command_, "expected one " + what + ", got also '" + positional_[1] + "'");
  return positional_.front();
}

std::string Arguments::value(const std::string& flag, const std::string& fallback) const {
  auto it = values_.find(flag);
  return it == values_.end() ? fallback : it->second.back();
}

long long Arguments::integer(const std::string& flag, long long fallback, long long min) const {
  if (!has(flag)) return fallback;
  const std::string text = value(flag);
  std::size_t used = 0;
  long long result = 0;
  try {
    result = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || result < min)
    throw Error("nas " + command_ + " " + flag, "expected an integer >= " + std::to_string(min) + ", got '" + text + "'");
  return result;
}

std::vector<std::string> Arguments::all(const std::string& flag) const {
  auto it = values_.find(flag);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace nas
