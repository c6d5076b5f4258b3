#pragma once
// An architecture of the autognn space in its readable form: per layer the attention function,
// aggregator, activation, heads and units per head. The last layer's units are the class count, fixed
// by the task, so they are not part of the genotype.
//
// JSON: {"layers": [{"attention": "gat", "aggregator": "sum", "activation": "elu", "heads": 8,
// "units": 8}, ..., {"attention": "gat", "aggregator": "sum", "activation": "linear", "heads": 1}],
// "short": "<the short form>"}; "short" may be left out when reading.
// Short form: "gat sum elu 8x8 | gat sum linear 1xC", layers separated by " | ", C for the classes.
#include <cstdint>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace nas {

struct AutognnLayerGene {
  std::string attention;
  std::string aggregator;
  std::string activation;
  std::int64_t heads = 1;
  std::int64_t units = 0;  // per head; 0 in the last layer (the class count)

  bool operator==(const AutognnLayerGene& other) const;
};

struct AutognnGenotype {
  std::vector<AutognnLayerGene> layers;

  Json to_json() const;
  std::string short_form() const;
};

// Reads the JSON form or the short form (a JSON string); errors name the field under `where`. Checks
// the shape of the genotype and that labels are known to the layers, not that a space offers them.
AutognnGenotype parse_autognn_genotype(const Json& json, const std::string& where);

}  // namespace nas
