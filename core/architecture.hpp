#pragma once
// An architecture is an immutable value: which space it belongs to, the choices that produced it,
// its genotype (the space's own readable form) and a canonical string that is equal for two
// architectures exactly when they build the same network.
#include <string>
#include <vector>

#include "core/decision.hpp"
#include "core/json.hpp"

namespace nas {

class Architecture {
 public:
  Architecture() = default;
  Architecture(std::string space, std::vector<Choice> choices, Json genotype, std::string canonical);

  const std::string& space() const { return space_; }
  const std::vector<Choice>& choices() const { return choices_; }
  const Json& genotype() const { return genotype_; }
  const std::string& canonical() const { return canonical_; }
  // 16 hex digits of a stable hash of the canonical string: the key for "already evaluated".
  const std::string& hash() const { return hash_; }
  // One line for tables and logs.
  const std::string& short_form() const { return short_form_; }

  // {"space", "choices": [[key, label]...], "genotype"}: what the search log stores.
  Json to_json() const;
  static std::vector<Choice> choices_from_json(const Json& json);

 private:
  std::string space_;
  std::vector<Choice> choices_;
  Json genotype_;
  std::string canonical_;
  std::string hash_;
  std::string short_form_;
};

std::string stable_hash_hex(const std::string& text);

}  // namespace nas
