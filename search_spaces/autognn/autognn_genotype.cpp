#include "search_spaces/autognn/autognn_genotype.hpp"

#include <sstream>

#include "core/error.hpp"
#include "core/json_kind.hpp"
#include "core/suggest.hpp"
#include "ops/graph/graph_activation.hpp"
#include "ops/graph/graph_aggregator.hpp"
#include "ops/graph/graph_attention.hpp"

namespace nas {
namespace {

const char* const kLayerSeparator = " | ";
const std::vector<std::string> kLayerFields = {"attention", "aggregator", "activation", "heads", "units"};

std::string checked_label(const std::string& label, const std::vector<std::string>& accepted, const std::string& where,
                          const std::string& what) {
  for (const std::string& name : accepted)
    if (name == label) return label;
  throw Error(where, "unknown " + what + " '" + label + "'; " + accepted_list(label, accepted));
}

std::int64_t positive(const Json& value, const std::string& where) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 1)
    throw Error(where, "expected a positive integer, got " + json_kind(value));
  return value.get<std::int64_t>();
}

void check_labels(AutognnLayerGene& gene, const std::string& where) {
  checked_label(gene.attention, graph_attention_names(), where + ".attention", "attention function");
  checked_label(gene.aggregator, graph_aggregator_names(), where + ".aggregator", "aggregator");
  checked_label(gene.activation, graph_activation_names(), where + ".activation", "activation");
}

AutognnLayerGene parse_layer_object(const Json& json, const std::string& where, bool last) {
  if (!json.is_object()) throw Error(where, "expected an object {attention, aggregator, activation, heads, units}, got " + json_kind(json));
  for (const auto& entry : json.items()) {
    if (std::find(kLayerFields.begin(), kLayerFields.end(), entry.key()) == kLayerFields.end())
      throw Error(where + "." + entry.key(), "unknown layer field; " + accepted_list(entry.key(), kLayerFields));
  }
  AutognnLayerGene gene;
  for (const char* field : {"attention", "aggregator", "activation"}) {
    if (!json.contains(field) || !json.at(field).is_string())
      throw Error(where + "." + field, "missing or not a string");
  }
  gene.attention = json.at("attention").get<std::string>();
  gene.aggregator = json.at("aggregator").get<std::string>();
  gene.activation = json.at("activation").get<std::string>();
  if (!json.contains("heads")) throw Error(where, "missing 'heads'");
  gene.heads = positive(json.at("heads"), where + ".heads");
  if (last && json.contains("units"))
    throw Error(where + ".units", "the last layer's units are the class count; leave the key out");
  if (!last) {
    if (!json.contains("units")) throw Error(where, "missing 'units' (per head)");
    gene.units = positive(json.at("units"), where + ".units");
  }
  check_labels(gene, where);
  return gene;
}

// "gat sum elu 8x8" (or "... 1xC" for the last layer).
AutognnLayerGene parse_layer_text(const std::string& text, const std::string& where, bool last) {
  std::istringstream words(text);
  AutognnLayerGene gene;
  std::string size, extra;
  if (!(words >> gene.attention >> gene.aggregator >> gene.activation >> size) || (words >> extra))
    throw Error(where, "expected 'attention aggregator activation HEADSxUNITS', got '" + text + "'");
  const std::size_t cross = size.find('x');
  const std::string heads = size.substr(0, cross);
  const std::string units = cross == std::string::npos ? "" : size.substr(cross + 1);
  const auto digits = [](const std::string& s) { return !s.empty() && s.size() < 6 && s.find_first_not_of("0123456789") == std::string::npos; };
  if (!digits(heads) || std::stoll(heads) < 1 || (last ? units != "C" : !digits(units) || std::stoll(units) < 1))
    throw Error(where, "expected HEADSxUNITS with positive numbers" + std::string(last ? " (HEADSxC in the last layer)" : "") +
                           ", got '" + size + "'");
  gene.heads = std::stoll(heads);
  gene.units = last ? 0 : std::stoll(units);
  check_labels(gene, where);
  return gene;
}

}  // namespace

bool AutognnLayerGene::operator==(const AutognnLayerGene& other) const {
  return attention == other.attention && aggregator == other.aggregator && activation == other.activation &&
         heads == other.heads && units == other.units;
}

Json AutognnGenotype::to_json() const {
  Json result = Json::array();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const AutognnLayerGene& gene = layers[i];
    Json layer = {{"attention", gene.attention}, {"aggregator", gene.aggregator}, {"activation", gene.activation},
                  {"heads", gene.heads}};
    if (i + 1 < layers.size()) layer["units"] = gene.units;
    result.push_back(layer);
  }
  return Json{{"layers", result}, {"short", short_form()}};
}

std::string AutognnGenotype::short_form() const {
  std::string text;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const AutognnLayerGene& gene = layers[i];
    if (i > 0) text += kLayerSeparator;
    text += gene.attention + " " + gene.aggregator + " " + gene.activation + " " + std::to_string(gene.heads) + "x" +
            (i + 1 < layers.size() ? std::to_string(gene.units) : std::string("C"));
  }
  return text;
}

AutognnGenotype parse_autognn_genotype(const Json& json, const std::string& where) {
  AutognnGenotype genotype;
  if (json.is_string()) {
    std::vector<std::string> parts;
    std::string text = json.get<std::string>();
    for (std::size_t start = 0;;) {
      const std::size_t bar = text.find('|', start);
      parts.push_back(text.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    for (std::size_t i = 0; i < parts.size(); ++i)
      genotype.layers.push_back(parse_layer_text(parts[i], where + " layer " + std::to_string(i), i + 1 == parts.size()));
    return genotype;
  }
  if (!json.is_object() || !json.contains("layers") || !json.at("layers").is_array() || json.at("layers").empty())
    throw Error(where, "expected {\"layers\": [...]} with one object per layer, or the short form as a string");
  for (const auto& entry : json.items())
    if (entry.key() != "layers" && entry.key() != "short")
      throw Error(where + "." + entry.key(), "unknown genotype field; accepted: layers, short");
  const Json& layers = json.at("layers");
  for (std::size_t i = 0; i < layers.size(); ++i)
    genotype.layers.push_back(
        parse_layer_object(layers[i], where + ".layers[" + std::to_string(i) + "]", i + 1 == layers.size()));
  if (json.contains("short") && json.at("short") != Json(genotype.short_form()))
    throw Error(where + ".short", "is " + json.at("short").dump() + ", but the layers make '" + genotype.short_form() +
                                      "'; give the layers alone or both alike");
  return genotype;
}

}  // namespace nas
