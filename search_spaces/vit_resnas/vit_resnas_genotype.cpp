#include "search_spaces/vit_resnas/vit_resnas_genotype.hpp"

#include <algorithm>
#include <sstream>

#include "core/error.hpp"
#include "core/json_kind.hpp"
#include "core/suggest.hpp"

namespace nas {
namespace {

const char* const kRoot = "genotype";
const char* const kSkipped = "-";

std::string join(const std::vector<std::int64_t>& values) {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + std::to_string(values[i]);
  return text;
}

// `value` if it is one of `accepted`; otherwise an error at `where` that lists them.
std::int64_t checked_choice(std::int64_t value, const std::vector<std::int64_t>& accepted, const std::string& where,
                            const std::string& what) {
  if (std::find(accepted.begin(), accepted.end(), value) == accepted.end())
    throw Error(where, std::to_string(value) + " is not a choice of " + what + "; accepted: " + join(accepted));
  return value;
}

std::int64_t json_integer(const Json& json, const std::string& where) {
  if (!json.is_number_integer()) throw Error(where, "expected a whole number, got " + json_kind(json));
  return json.get<std::int64_t>();
}

void refuse_unknown_keys(const Json& object, const std::vector<std::string>& accepted, const std::string& where) {
  for (const auto& entry : object.items())
    if (std::find(accepted.begin(), accepted.end(), entry.key()) == accepted.end())
      throw Error(where + "." + entry.key(), "unknown genotype field; " + accepted_list(entry.key(), accepted));
}

std::string stage_name(std::size_t s) { return "stage " + std::to_string(s + 1); }

VitResnasBlockGenotype parse_block(const Json& json, const VitResnasStageOptions& stage, std::size_t s, std::size_t b,
                                   const std::string& where) {
  if (!json.is_object()) throw Error(where, "expected an object {heads, mlp, keep}, got " + json_kind(json));
  refuse_unknown_keys(json, {"heads", "mlp", "keep"}, where);
  VitResnasBlockGenotype block;
  if (json.contains("keep")) {
    const Json& keep = json.at("keep");
    if (!keep.is_boolean()) throw Error(where + ".keep", "expected true or false, got " + json_kind(keep));
    block.keep = keep.get<bool>();
  }
  if (!block.keep && !stage.skippable[b])
    throw Error(where + ".keep", "block " + std::to_string(b + 1) + " of " + stage_name(s) +
                                     " cannot be skipped; only its skippable blocks can (every second one)");
  const std::string what = stage_name(s);
  for (const char* key : {"heads", "mlp"}) {
    const bool heads = std::string(key) == "heads";
    std::int64_t& value = heads ? block.heads : block.mlp;
    const std::vector<std::int64_t>& accepted = heads ? stage.heads : stage.mlp;
    if (json.contains(key)) {
      value = checked_choice(json_integer(json.at(key), where + "." + key), accepted, where + "." + key,
                             std::string(heads ? "heads" : "MLP hidden units") + " in " + what);
    } else if (block.keep) {
      throw Error(where, std::string("missing '") + key + "' (a kept block needs heads and mlp)");
    } else {
      value = accepted.front();
    }
  }
  return block;
}

VitResnasGenotype parse_object(const Json& json, const VitResnasOptions& options) {
  const std::string root = kRoot;
  refuse_unknown_keys(json, {"stages", "short"}, root);
  if (!json.contains("stages")) throw Error(root, "missing 'stages', the list of the stages' choices");
  const Json& stages = json.at("stages");
  const std::string where = root + ".stages";
  if (!stages.is_array() || stages.size() != options.stages.size())
    throw Error(where, "expected a list of " + std::to_string(options.stages.size()) + " stages (preset " +
                           options.preset + "), got " +
                           (stages.is_array() ? "a list of " + std::to_string(stages.size()) : json_kind(stages)));
  VitResnasGenotype genotype;
  for (std::size_t s = 0; s < options.stages.size(); ++s) {
    const VitResnasStageOptions& stage_options = options.stages[s];
    const Json& stage = stages[s];
    const std::string stage_where = where + "[" + std::to_string(s) + "]";
    if (!stage.is_object()) throw Error(stage_where, "expected an object {embed, blocks}, got " + json_kind(stage));
    refuse_unknown_keys(stage, {"embed", "blocks"}, stage_where);
    if (!stage.contains("embed")) throw Error(stage_where, "missing 'embed', the stage's embedding width");
    VitResnasStageGenotype result;
    result.embed = checked_choice(json_integer(stage.at("embed"), stage_where + ".embed"), stage_options.embed,
                                  stage_where + ".embed", "embedding widths in " + stage_name(s));
    if (!stage.contains("blocks")) throw Error(stage_where, "missing 'blocks', the stage's blocks");
    const Json& blocks = stage.at("blocks");
    if (!blocks.is_array() || blocks.size() != stage_options.blocks())
      throw Error(stage_where + ".blocks",
                  "expected a list of " + std::to_string(stage_options.blocks()) +
                      " blocks (skipped ones included), got " +
                      (blocks.is_array() ? "a list of " + std::to_string(blocks.size()) : json_kind(blocks)));
    for (std::size_t b = 0; b < blocks.size(); ++b)
      result.blocks.push_back(
          parse_block(blocks[b], stage_options, s, b, stage_where + ".blocks[" + std::to_string(b) + "]"));
    genotype.stages.push_back(std::move(result));
  }
  if (json.contains("short")) {
    const Json& short_form = json.at("short");
    if (!short_form.is_string() || short_form.get<std::string>() != vit_resnas_short_form(genotype))
      throw Error(root + ".short", "is " + short_form.dump() + ", but the stages make '" +
                                       vit_resnas_short_form(genotype) + "'; give the stages alone or both alike");
  }
  return genotype;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

std::int64_t parse_number(const std::string& text, const std::string& where, const std::string& context) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    throw Error(where, "'" + text + "' in " + context + " is not a whole number");
  return std::stoll(text);
}

VitResnasGenotype parse_short(const std::string& text, const VitResnasOptions& options) {
  const std::string where = kRoot;
  const std::string example = "; expected e.g. '" + vit_resnas_short_form(largest_vit_resnas_genotype(options)) + "'";
  std::vector<std::string> stage_texts;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, '|');) stage_texts.push_back(trim(part));
  if (stage_texts.size() != options.stages.size())
    throw Error(where, "'" + text + "' has " + std::to_string(stage_texts.size()) + " stages separated by '|', not " +
                           std::to_string(options.stages.size()) + example);
  VitResnasGenotype genotype;
  for (std::size_t s = 0; s < options.stages.size(); ++s) {
    const VitResnasStageOptions& stage_options = options.stages[s];
    const std::string& stage_text = stage_texts[s];
    const std::string context = stage_name(s) + " ('" + stage_text + "')";
    const auto colon = stage_text.find(':');
    if (colon == std::string::npos) throw Error(where, context + " must start with '<embed>:'" + example);
    VitResnasStageGenotype stage;
    stage.embed = checked_choice(parse_number(trim(stage_text.substr(0, colon)), where, context), stage_options.embed,
                                 where, "embedding widths in " + stage_name(s));
    std::stringstream blocks(stage_text.substr(colon + 1));
    for (std::string block_text; blocks >> block_text;) {
      const std::size_t b = stage.blocks.size();
      if (b >= stage_options.blocks())
        throw Error(where, context + " lists more than its " + std::to_string(stage_options.blocks()) + " blocks");
      VitResnasBlockGenotype block;
      if (block_text == kSkipped) {
        if (!stage_options.skippable[b])
          throw Error(where, context + ": block " + std::to_string(b + 1) + " cannot be skipped");
        block = {stage_options.heads.front(), stage_options.mlp.front(), false};
      } else {
        const auto slash = block_text.find('/');
        if (slash == std::string::npos)
          throw Error(where, context + ": block '" + block_text + "' must be <heads>/<mlp> or '-'" + example);
        block.heads = checked_choice(parse_number(block_text.substr(0, slash), where, context), stage_options.heads,
                                     where, "heads in " + stage_name(s));
        block.mlp = checked_choice(parse_number(block_text.substr(slash + 1), where, context), stage_options.mlp, where,
                                   "MLP hidden units in " + stage_name(s));
      }
      stage.blocks.push_back(block);
    }
    if (stage.blocks.size() != stage_options.blocks())
      throw Error(where, context + " lists " + std::to_string(stage.blocks.size()) + " blocks, not " +
                             std::to_string(stage_options.blocks()) + " (a skipped one as '-')" + example);
    genotype.stages.push_back(std::move(stage));
  }
  return genotype;
}

}  // namespace

VitResnasGenotype largest_vit_resnas_genotype(const VitResnasOptions& options) {
  VitResnasGenotype genotype;
  for (const VitResnasStageOptions& stage : options.stages) {
    VitResnasStageGenotype result;
    result.embed = stage.max_embed();
    result.blocks.assign(stage.blocks(), VitResnasBlockGenotype{stage.max_heads(), stage.max_mlp(), true});
    genotype.stages.push_back(std::move(result));
  }
  return genotype;
}

std::string vit_resnas_short_form(const VitResnasGenotype& genotype) {
  std::string text;
  for (std::size_t s = 0; s < genotype.stages.size(); ++s) {
    const VitResnasStageGenotype& stage = genotype.stages[s];
    text += (s ? " | " : "") + std::to_string(stage.embed) + ":";
    for (const VitResnasBlockGenotype& block : stage.blocks)
      text += " " + (block.keep ? std::to_string(block.heads) + "/" + std::to_string(block.mlp) : kSkipped);
  }
  return text;
}

Json vit_resnas_genotype_json(const VitResnasGenotype& genotype) {
  Json stages = Json::array();
  for (const VitResnasStageGenotype& stage : genotype.stages) {
    Json blocks = Json::array();
    for (const VitResnasBlockGenotype& block : stage.blocks)
      blocks.push_back(Json{{"heads", block.heads}, {"mlp", block.mlp}, {"keep", block.keep}});
    stages.push_back(Json{{"embed", stage.embed}, {"blocks", blocks}});
  }
  return Json{{"stages", stages}, {"short", vit_resnas_short_form(genotype)}};
}

VitResnasGenotype parse_vit_resnas_genotype(const Json& json, const VitResnasOptions& options) {
  if (json.is_string()) return parse_short(json.get<std::string>(), options);
  if (!json.is_object())
    throw Error(kRoot, "expected a short form string or an object {stages, short}, got " + json_kind(json));
  return parse_object(json, options);
}

}  // namespace nas
