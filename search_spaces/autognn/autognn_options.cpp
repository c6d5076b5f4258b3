#include "search_spaces/autognn/autognn_options.hpp"

#include "ops/graph/graph_activation.hpp"
#include "ops/graph/graph_aggregator.hpp"
#include "ops/graph/graph_attention.hpp"

namespace nas {

AutognnOptions read_autognn_options(const ConfigNode& section) {
  AutognnOptions options;
  options.layers = section.integer("layers", options.layers, 1, 8);
  options.attentions = section.option_list("attentions", graph_attention_names(), graph_attention_names());
  options.aggregators = section.option_list("aggregators", graph_aggregator_names(), graph_aggregator_names());
  options.activations = section.option_list("activations", graph_activation_names(), graph_activation_names());
  options.heads = section.option_list("heads", options.heads, AutognnOptions().heads);
  options.units = section.option_list("units", options.units, AutognnOptions().units);
  options.dropout = section.number("dropout", options.dropout, 0, 0.95);
  options.residual = section.boolean("residual", options.residual);
  return options;
}

}  // namespace nas
