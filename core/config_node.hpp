#pragma once
// Typed, checked access to one section of an experiment file. Every read names the key, the file and
// the line when it fails; keys nobody read are reported by finish() with the closest accepted key.
// Components read their own section, so the schema lives next to the code that uses it.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace nas {

// Shared by all nodes of one experiment: where the text came from and which values were overridden.
struct ConfigSource {
  std::string file;                                 // shown in messages
  std::map<std::string, std::string> overrides;     // key path -> "--set path=value"
  std::set<std::string> consumed;                   // key paths read so far
  // Relative paths in the text (ConfigNode::path) are relative to this folder, the experiment file's;
  // empty: the working directory (text that is not a file, a run's logged configuration).
  std::string directory;
};

class ConfigNode {
 public:
  ConfigNode(YAML::Node node, std::string path, std::shared_ptr<ConfigSource> source);

  // Parses YAML text; `file` is the name used in messages. Applies "key.path=value" overrides.
  // `directory` is where relative paths in the text are read from (ConfigSource::directory).
  static ConfigNode parse(const std::string& text, const std::string& file,
                          const std::vector<std::string>& overrides = {}, const std::string& directory = "");

  const std::string& path() const { return path_; }
  const YAML::Node& yaml() const { return node_; }
  bool has(const std::string& key) const;
  // Whether the key is written at all, with a value or without one (`reevaluate:` alone).
  bool written(const std::string& key) const;

  std::int64_t integer(const std::string& key, std::int64_t fallback,
                       std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                       std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
  double number(const std::string& key, double fallback,
                double min = -std::numeric_limits<double>::infinity(),
                double max = std::numeric_limits<double>::infinity()) const;
  bool boolean(const std::string& key, bool fallback) const;
  std::string string(const std::string& key, const std::string& fallback) const;
  // A file or folder. A relative path is read from the experiment file's folder when the file gave it,
  // from the working directory when a --set flag did (where the user typed it). The path is made
  // absolute and written back into the configuration, so that the effective configuration a search log
  // keeps names the same file for `nas resume` or `nas export` run from anywhere. `fallback` (used
  // when the key is absent) is returned as it is.
  std::string path(const std::string& key, const std::string& fallback) const;
  // A string that must be one of `accepted`; `what` names it in the message ("search space").
  std::string choice(const std::string& key, const std::string& fallback,
                     const std::vector<std::string>& accepted, const std::string& what = "value") const;
  std::vector<std::string> string_list(const std::string& key, const std::vector<std::string>& fallback,
                                       const std::vector<std::string>& accepted = {}) const;
  // A string_list of options to choose among (a space's ops): at least one entry, none twice. A label
  // given twice would only skew a uniform prior towards it, which is never what a user means.
  std::vector<std::string> option_list(const std::string& key, const std::vector<std::string>& fallback,
                                       const std::vector<std::string>& accepted) const;
  // A nested map; an empty one when the key is absent.
  ConfigNode section(const std::string& key) const;

  // Throws for the first key of this map that no reader asked for.
  void finish() const;
  // Whether a reader asked for `key` (present or not): a component that reads a key with a default
  // accepts it, so this tells whether an override of it would be accepted later.
  bool was_read(const std::string& key) const;

  // "file:line:col: path.key" (or "--set path.key=v: path.key") for messages about `key`.
  std::string where(const std::string& key = "") const;
  Error error(const std::string& key, const std::string& message) const;

 private:
  std::string full_path(const std::string& key) const;
  // The --set flag that gave `key` or a section above it; nullptr when the text did.
  const std::string* override_of(const std::string& key) const;
  YAML::Node value(const std::string& key) const;  // marks the key as read
  std::string scalar_text(const YAML::Node& node) const;

  YAML::Node node_;
  std::string path_;
  std::shared_ptr<ConfigSource> source_;
};

}  // namespace nas
