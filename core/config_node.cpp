#include "core/config_node.hpp"

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "core/suggest.hpp"

namespace nas {
namespace {

std::string describe_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "nothing";
    default: return "'" + node.Scalar() + "'";
  }
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  return parts;
}

// Deeper than any experiment file needs; a reader that recursed without a bound would let a
// hostile file overflow the stack.
constexpr int kMaxNesting = 64;

std::string quoted_key(const YAML::Node& key) {
  const std::string text = key.IsScalar() ? key.Scalar() : describe_kind(key);
  return "'" + (text.size() > 60 ? text.substr(0, 57) + "..." : text) + "'";
}

// yaml-cpp keeps both entries of a key written twice in one map, and its lookups and its iteration
// disagree on which one counts: the run would use one value and log the other. A key twice in a map
// is an error naming both lines, as is nesting past kMaxNesting.
void refuse_duplicate_keys(const YAML::Node& node, const std::string& where, const std::string& path, int depth) {
  if (depth > kMaxNesting)
    throw Error(where + ":" + std::to_string(node.Mark().line + 1),
                "nested more than " + std::to_string(kMaxNesting) + " levels deep" +
                    (path.empty() ? std::string() : " (under '" + path + "')"));
  if (node.IsSequence()) {
    for (const auto& item : node) refuse_duplicate_keys(item, where, path, depth + 1);
    return;
  }
  if (!node.IsMap()) return;
  std::map<std::string, int> lines;  // key -> the line it first appeared on
  for (const auto& entry : node) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
    const int line = entry.first.Mark().line + 1;
    const auto [found, fresh] = lines.emplace(key, line);
    if (!fresh)
      throw Error(where + ":" + std::to_string(line),
                  "key " + quoted_key(entry.first) + (path.empty() ? "" : " of '" + path + "'") +
                      " appears twice (lines " + std::to_string(found->second) + " and " + std::to_string(line) +
                      "); each key may be given once");
    refuse_duplicate_keys(entry.second, where, path.empty() ? key : path + "." + key, depth + 1);
  }
}

}  // namespace

ConfigNode::ConfigNode(YAML::Node node, std::string path, std::shared_ptr<ConfigSource> source)
    : node_(std::move(node)), path_(std::move(path)), source_(std::move(source)) {}

ConfigNode ConfigNode::parse(const std::string& text, const std::string& file,
                             const std::vector<std::string>& overrides, const std::string& directory) {
  auto source = std::make_shared<ConfigSource>();
  source->file = file;
  source->directory = directory;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw Error(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                "not valid YAML: " + e.msg);
  }
  refuse_duplicate_keys(root, file, "", 0);
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) throw Error(file, "an experiment file must be a map of keys, got " + describe_kind(root));

  for (const auto& assignment : overrides) {
    const auto equals = assignment.find('=');
    const std::string flag = "--set " + assignment;
    if (equals == std::string::npos || equals == 0)
      throw Error(flag, "expected --set key.path=value, e.g. --set controller.population=8");
    const std::string key_path = assignment.substr(0, equals);
    YAML::Node parsed;
    try {
      parsed = YAML::Load(assignment.substr(equals + 1));
    } catch (const YAML::Exception& e) {
      throw Error(flag, "the value is not valid YAML: " + e.msg);
    }
    refuse_duplicate_keys(parsed, flag, "", 0);
    const auto parts = split_path(key_path);
    // yaml-cpp nodes are handles: walking with operator[] on a copy edits the shared tree.
    YAML::Node cursor = root;
    std::string walked;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].empty()) throw Error(flag, "empty key in '" + key_path + "'");
      walked += (walked.empty() ? "" : ".") + parts[i];
      if (i + 1 == parts.size()) {
        cursor[parts[i]] = parsed;
      } else {
        YAML::Node next = cursor[parts[i]];
        if (!next.IsDefined() || next.IsNull()) {
          cursor[parts[i]] = YAML::Node(YAML::NodeType::Map);
          next = cursor[parts[i]];
        }
        if (!next.IsMap()) throw Error(flag, "'" + walked + "' is not a section, so it has no keys");
        cursor.reset(next);
      }
    }
    source->overrides[key_path] = flag;
  }
  return ConfigNode(root, "", source);
}

std::string ConfigNode::full_path(const std::string& key) const {
  if (key.empty()) return path_;
  return path_.empty() ? key : path_ + "." + key;
}

const std::string* ConfigNode::override_of(const std::string& key) const {
  // An override of the key itself or of a section above it is where the value came from.
  for (std::string prefix = full_path(key); !prefix.empty();) {
    auto it = source_->overrides.find(prefix);
    if (it != source_->overrides.end()) return &it->second;
    const auto dot = prefix.rfind('.');
    prefix = dot == std::string::npos ? std::string() : prefix.substr(0, dot);
  }
  return nullptr;
}

std::string ConfigNode::where(const std::string& key) const {
  const std::string full = full_path(key);
  if (const std::string* flag = override_of(key)) return *flag + ": " + full;
  YAML::Mark mark = node_.Mark();
  if (!key.empty() && node_.IsMap() && node_[key].IsDefined() && !node_[key].Mark().is_null())
    mark = node_[key].Mark();
  std::string location = source_->file;
  if (!mark.is_null()) location += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  return full.empty() ? location : location + ": " + full;
}

Error ConfigNode::error(const std::string& key, const std::string& message) const {
  return Error(where(key), message);
}

bool ConfigNode::has(const std::string& key) const {
  return node_.IsMap() && node_[key].IsDefined() && !node_[key].IsNull();
}

bool ConfigNode::written(const std::string& key) const { return node_.IsMap() && node_[key].IsDefined(); }

YAML::Node ConfigNode::value(const std::string& key) const {
  source_->consumed.insert(full_path(key));
  if (!node_.IsMap()) return YAML::Node();
  return node_[key];
}

std::string ConfigNode::scalar_text(const YAML::Node& node) const { return describe_kind(node); }

std::int64_t ConfigNode::integer(const std::string& key, std::int64_t fallback, std::int64_t min,
                                 std::int64_t max) const {
  const YAML::Node node = value(key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  std::int64_t result = 0;
  if (!node.IsScalar() || !YAML::convert<std::int64_t>::decode(node, result))
    throw error(key, "expected an integer, got " + describe_kind(node));
  if (result < min || result > max) {
    std::string range = "between " + std::to_string(min) + " and " + std::to_string(max);
    if (max == std::numeric_limits<std::int64_t>::max()) range = "at least " + std::to_string(min);
    throw error(key, "must be " + range + ", got " + std::to_string(result));
  }
  return result;
}

double ConfigNode::number(const std::string& key, double fallback, double min, double max) const {
  const YAML::Node node = value(key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  double result = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, result) || !std::isfinite(result))
    throw error(key, "expected a number, got " + describe_kind(node));
  if (result < min || result > max) {
    std::ostringstream range;
    if (std::isinf(max)) range << "at least " << min;
    else if (std::isinf(min)) range << "at most " << max;
    else range << "between " << min << " and " << max;
    throw error(key, "must be " + range.str() + ", got " + node.Scalar());
  }
  return result;
}

bool ConfigNode::boolean(const std::string& key, bool fallback) const {
  const YAML::Node node = value(key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  bool result = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, result))
    throw error(key, "expected true or false, got " + describe_kind(node));
  return result;
}

std::string ConfigNode::string(const std::string& key, const std::string& fallback) const {
  const YAML::Node node = value(key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  if (!node.IsScalar()) throw error(key, "expected a string, got " + describe_kind(node));
  return node.Scalar();
}

std::string ConfigNode::path(const std::string& key, const std::string& fallback) const {
  if (!has(key)) return string(key, fallback);
  const std::filesystem::path given = string(key, fallback);
  if (given.empty()) return std::string();
  std::filesystem::path base;
  if (!override_of(key) && !source_->directory.empty()) base = source_->directory;
  const std::filesystem::path resolved =
      std::filesystem::absolute(given.is_absolute() ? given : base / given).lexically_normal();
  YAML::Node node = node_;  // a handle: assigning through it edits the shared tree
  node[key] = resolved.string();
  return resolved.string();
}

std::string ConfigNode::choice(const std::string& key, const std::string& fallback,
                               const std::vector<std::string>& accepted, const std::string& what) const {
  if (fallback.empty() && !has(key))
    throw error(key, "missing required key '" + key + "'; " + accepted_list("", accepted));
  const std::string result = string(key, fallback);
  for (const auto& name : accepted)
    if (name == result) return result;
  throw error(key, "unknown " + what + " '" + result + "'; " + accepted_list(result, accepted));
}

std::vector<std::string> ConfigNode::string_list(const std::string& key,
                                                 const std::vector<std::string>& fallback,
                                                 const std::vector<std::string>& accepted) const {
  const YAML::Node node = value(key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  if (!node.IsSequence()) throw error(key, "expected a list, got " + describe_kind(node));
  std::vector<std::string> result;
  for (const auto& item : node) {
    if (!item.IsScalar()) throw error(key, "expected a list of strings, found " + describe_kind(item));
    const std::string text = item.Scalar();
    if (!accepted.empty()) {
      bool known = false;
      for (const auto& name : accepted) known = known || name == text;
      if (!known) throw error(key, "unknown entry '" + text + "'; " + accepted_list(text, accepted));
    }
    result.push_back(text);
  }
  return result;
}

std::vector<std::string> ConfigNode::option_list(const std::string& key, const std::vector<std::string>& fallback,
                                                 const std::vector<std::string>& accepted) const {
  std::vector<std::string> labels = string_list(key, fallback, accepted);
  if (labels.empty()) throw error(key, "needs at least one entry");
  std::set<std::string> seen;
  for (const auto& label : labels)
    if (!seen.insert(label).second) throw error(key, "lists '" + label + "' twice");
  return labels;
}

ConfigNode ConfigNode::section(const std::string& key) const {
  YAML::Node node = value(key);
  if (!node.IsDefined() || node.IsNull()) return ConfigNode(YAML::Node(YAML::NodeType::Map), full_path(key), source_);
  if (!node.IsMap()) throw error(key, "expected a section of keys, got " + describe_kind(node));
  return ConfigNode(node, full_path(key), source_);
}

bool ConfigNode::was_read(const std::string& key) const { return source_->consumed.count(full_path(key)) > 0; }

void ConfigNode::finish() const {
  if (!node_.IsMap()) return;
  std::vector<std::string> known;
  for (const auto& name : source_->consumed) {
    const std::string prefix = path_.empty() ? "" : path_ + ".";
    if (name.compare(0, prefix.size(), prefix) == 0 && name.find('.', prefix.size()) == std::string::npos)
      known.push_back(name.substr(prefix.size()));
  }
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    if (source_->consumed.count(full_path(key))) continue;
    throw error(key, "unknown key '" + key + "'; " + accepted_list(key, known));
  }
}

}  // namespace nas
