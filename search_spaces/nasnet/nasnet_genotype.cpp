#include "search_spaces/nasnet/nasnet_genotype.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/json_kind.hpp"
#include "core/suggest.hpp"

namespace nas {
namespace {

const std::string& short_op_name(const std::string& label) {
  static const std::map<std::string, std::string> names = {
      {"identity", "id"},         {"conv_1x3_3x1", "c13"},   {"conv_1x7_7x1", "c17"},
      {"dil_conv_3x3", "dil3"},   {"avg_pool_3x3", "avg3"},  {"max_pool_3x3", "max3"},
      {"max_pool_5x5", "max5"},   {"max_pool_7x7", "max7"},  {"conv_1x1", "c1"},
      {"conv_3x3", "c3"},         {"sep_conv_3x3", "sep3"},  {"sep_conv_5x5", "sep5"},
      {"sep_conv_7x7", "sep7"}};
  return names.at(label);
}

// A string that must be one of `accepted`.
std::string pick(const Json& json, const std::string& where, const std::vector<std::string>& accepted,
                 const std::string& what) {
  if (!json.is_string()) throw Error(where, "expected a " + what + " name, got " + json_kind(json));
  const std::string text = json.get<std::string>();
  if (std::find(accepted.begin(), accepted.end(), text) == accepted.end())
    throw Error(where, "unknown " + what + " '" + text + "' for this space; " + accepted_list(text, accepted));
  return text;
}

int state_index(const Json& json, const std::string& where, int states) {
  std::vector<std::string> names;
  for (int k = 0; k < states; ++k) names.push_back(nasnet_state_name(k));
  const std::string name = pick(json, where, names, "state");
  return std::stoi(name.substr(1));
}

const Json& pair_field(const Json& block, const std::string& key, const std::string& where) {
  if (!block.contains(key)) throw Error(where, "missing '" + key + "'");
  const Json& value = block.at(key);
  if (!value.is_array() || value.size() != 2)
    throw Error(where + "." + key, "expected a list of two entries, got " + json_kind(value));
  return value;
}

NasnetBlock parse_block(const Json& json, const std::string& where, int block, const NasnetOptions& options) {
  if (!json.is_object()) throw Error(where, "expected a block object {inputs, ops, combine}, got " + json_kind(json));
  for (const auto& entry : json.items())
    if (entry.key() != "inputs" && entry.key() != "ops" && entry.key() != "combine")
      throw Error(where + "." + entry.key(), "unknown block field; accepted: inputs, ops, combine");
  NasnetBlock result;
  const Json& inputs = pair_field(json, "inputs", where);
  const Json& ops = pair_field(json, "ops", where);
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string slot = "[" + std::to_string(i) + "]";
    result.inputs[i] = state_index(inputs[i], where + ".inputs" + slot, block + 2);
    result.ops[i] = pick(ops[i], where + ".ops" + slot, options.ops, "op");
  }
  if (!json.contains("combine")) throw Error(where, "missing 'combine'");
  result.combine = pick(json.at("combine"), where + ".combine", options.combines, "combine");
  return result;
}

std::vector<int> parse_concat(const Json& json, const std::string& where, const std::vector<NasnetBlock>& blocks) {
  if (!json.is_array() || json.empty())
    throw Error(where, "expected a non-empty list of state names, got " + json_kind(json));
  const int states = static_cast<int>(blocks.size()) + 2;
  std::set<int> chosen;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const int state = state_index(json[i], where + "[" + std::to_string(i) + "]", states);
    if (!chosen.insert(state).second) throw Error(where, "lists " + nasnet_state_name(state) + " twice");
  }
  // A block output that is neither read nor concatenated would hold weights that never act.
  for (int state : nasnet_unused_states(blocks))
    if (state >= 2 && !chosen.count(state))
      throw Error(where, nasnet_state_name(state) + " is not read by any block, so the output must include it");
  return {chosen.begin(), chosen.end()};
}

std::string short_branch(const NasnetBlock& block, int i) {
  return short_op_name(block.ops[i]) + "(" + nasnet_state_name(block.inputs[i]) + ")";
}

}  // namespace

const std::array<std::string, 2>& nasnet_cell_names() {
  static const std::array<std::string, 2> names = {"normal", "reduction"};
  return names;
}

bool NasnetCellGenotype::operator==(const NasnetCellGenotype& other) const {
  if (concat != other.concat || blocks.size() != other.blocks.size()) return false;
  for (std::size_t b = 0; b < blocks.size(); ++b)
    if (blocks[b].inputs != other.blocks[b].inputs || blocks[b].ops != other.blocks[b].ops ||
        blocks[b].combine != other.blocks[b].combine)
      return false;
  return true;
}

std::string nasnet_state_name(int state) { return "s" + std::to_string(state); }

std::vector<std::string> nasnet_input_options(int block) {
  std::vector<std::string> names;
  for (int k = 0; k < block + 2; ++k) names.push_back(nasnet_state_name(k));
  return names;
}

std::vector<int> nasnet_unused_states(const std::vector<NasnetBlock>& blocks) {
  std::vector<bool> used(blocks.size() + 2, false);
  for (const auto& block : blocks) used[block.inputs[0]] = used[block.inputs[1]] = true;
  std::vector<int> unused;
  for (std::size_t k = 0; k < used.size(); ++k)
    if (!used[k]) unused.push_back(static_cast<int>(k));
  return unused;
}

NasnetGenotype parse_nasnet_genotype(const Json& json, const NasnetOptions& options) {
  const std::string root = "genotype";
  if (!json.is_object()) throw Error(root, "expected an object with 'normal' and 'reduction', got " + json_kind(json));
  const auto& names = nasnet_cell_names();
  const std::vector<std::string> accepted = {names[0], names[1], names[0] + "_concat", names[1] + "_concat", "short"};
  for (const auto& entry : json.items())
    if (std::find(accepted.begin(), accepted.end(), entry.key()) == accepted.end())
      throw Error(root + "." + entry.key(), "unknown genotype field; " + accepted_list(entry.key(), accepted));

  NasnetGenotype genotype;
  for (int kind : {kNormalCell, kReductionCell}) {
    const std::string where = root + "." + names[kind];
    if (!json.contains(names[kind])) throw Error(root, "missing '" + names[kind] + "' cell");
    const Json& blocks = json.at(names[kind]);
    if (!blocks.is_array()) throw Error(where, "expected a list of blocks, got " + json_kind(blocks));
    if (static_cast<std::int64_t>(blocks.size()) != options.blocks)
      throw Error(where, "has " + std::to_string(blocks.size()) + " blocks, but the space is configured with blocks=" +
                             std::to_string(options.blocks));
    NasnetCellGenotype& cell = genotype.cells[kind];
    for (std::size_t b = 0; b < blocks.size(); ++b)
      cell.blocks.push_back(parse_block(blocks[b], where + "[" + std::to_string(b) + "]", static_cast<int>(b), options));
    const std::string concat_key = names[kind] + "_concat";
    cell.concat = json.contains(concat_key) ? parse_concat(json.at(concat_key), root + "." + concat_key, cell.blocks)
                                            : nasnet_unused_states(cell.blocks);
  }
  return genotype;
}

Json nasnet_genotype_json(const NasnetGenotype& genotype) {
  Json json = Json::object();
  const auto& names = nasnet_cell_names();
  for (int kind : {kNormalCell, kReductionCell}) {
    const NasnetCellGenotype& cell = genotype.cells[kind];
    Json blocks = Json::array();
    for (const auto& block : cell.blocks)
      blocks.push_back(Json{{"inputs", {nasnet_state_name(block.inputs[0]), nasnet_state_name(block.inputs[1])}},
                            {"ops", {block.ops[0], block.ops[1]}},
                            {"combine", block.combine}});
    json[names[kind]] = blocks;
  }
  for (int kind : {kNormalCell, kReductionCell}) {
    const NasnetCellGenotype& cell = genotype.cells[kind];
    if (cell.concat == nasnet_unused_states(cell.blocks)) continue;
    Json concat = Json::array();
    for (int state : cell.concat) concat.push_back(nasnet_state_name(state));
    json[names[kind] + "_concat"] = concat;
  }
  json["short"] = nasnet_short_form(genotype);
  return json;
}

std::string nasnet_short_form(const NasnetGenotype& genotype) {
  std::string text;
  for (int kind : {kNormalCell, kReductionCell}) {
    const NasnetCellGenotype& cell = genotype.cells[kind];
    text += std::string(kind == kNormalCell ? "N[" : " R[");
    for (std::size_t b = 0; b < cell.blocks.size(); ++b) {
      const NasnetBlock& block = cell.blocks[b];
      if (b > 0) text += " ";
      text += block.combine == "add" ? short_branch(block, 0) + "+" + short_branch(block, 1)
                                     : "cat(" + short_branch(block, 0) + "," + short_branch(block, 1) + ")";
    }
    if (cell.concat != nasnet_unused_states(cell.blocks)) {
      text += " ->";
      for (std::size_t i = 0; i < cell.concat.size(); ++i)
        text += (i ? "," : "") + nasnet_state_name(cell.concat[i]);
    }
    text += "]";
  }
  return text;
}

}  // namespace nas
