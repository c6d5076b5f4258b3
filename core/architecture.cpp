#include "core/architecture.hpp"

#include <cstdio>

#include "core/error.hpp"

namespace nas {

std::string stable_hash_hex(const std::string& text) {
  // FNV-1a 64: stable across runs and platforms, unlike std::hash.
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

Architecture::Architecture(std::string space, std::vector<Choice> choices, Json genotype,
                           std::string canonical)
    : space_(std::move(space)),
      choices_(std::move(choices)),
      genotype_(std::move(genotype)),
      canonical_(std::move(canonical)),
      hash_(stable_hash_hex(canonical_)) {
  if (genotype_.contains("short")) {
    short_form_ = genotype_["short"].get<std::string>();
  } else {
    for (const auto& choice : choices_) short_form_ += (short_form_.empty() ? "" : " ") + choice.label;
  }
}

Json Architecture::to_json() const {
  Json choices = Json::array();
  for (const auto& choice : choices_) choices.push_back(Json::array({choice.key, choice.label}));
  return Json{{"space", space_}, {"hash", hash_}, {"choices", choices}, {"genotype", genotype_}};
}

std::vector<Choice> Architecture::choices_from_json(const Json& json) {
  std::vector<Choice> choices;
  if (!json.contains("choices") || !json["choices"].is_array())
    throw Error("", "architecture record has no 'choices' list");
  for (const auto& item : json["choices"]) {
    if (!item.is_array() || item.size() != 2 || !item[0].is_string() || !item[1].is_string())
      throw Error("", "architecture choice must be [key, label], got " + item.dump());
    choices.push_back(Choice{item[0].get<std::string>(), 0, item[1].get<std::string>()});
  }
  return choices;
}

}  // namespace nas
