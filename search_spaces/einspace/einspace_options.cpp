#include "search_spaces/einspace/einspace_options.hpp"

#include <algorithm>

#include "search_spaces/einspace/einspace_terminals.hpp"
#include "search_spaces/task.hpp"

namespace nas {

EinspaceOptions read_einspace_options(const ConfigNode& section) {
  EinspaceOptions options;
  // Below about 0.31 the grammar's expected size is infinite (the paper's Figure 4).
  options.computation_probability =
      section.number("computation_probability", options.computation_probability, 0.05, 0.95);
  options.max_depth = static_cast<int>(section.integer("max_depth", options.max_depth, 2, 10000));
  options.max_nodes = section.integer("max_nodes", options.max_nodes, 10, 100000000);
  options.max_params = section.integer("max_params", options.max_params, 1);
  options.max_feature_elements = section.integer("max_feature_elements", options.max_feature_elements, 1);
  options.max_operations = section.integer("max_operations", options.max_operations, 1);
  std::vector<std::string> widths;
  for (auto width : options.linear_widths) widths.push_back(std::to_string(width));
  options.linear_widths.clear();
  for (const auto& width : section.option_list("linear_widths", widths, widths))
    options.linear_widths.push_back(std::stoll(width));
  std::vector<std::string> labels;
  for (const auto& terminal : einspace_terminals())
    if (!terminal.seed_only && terminal.op != EinOp::linear &&
        std::find(labels.begin(), labels.end(), terminal.label) == labels.end())  // identity is in P, R and C
      labels.push_back(terminal.label);
  options.exclude = section.string_list("exclude", {}, labels);
  if (section.has("input_shape")) {
    const TaskShape task = parse_input_shape(section.string("input_shape", ""), 2, section.where("input_shape"));
    options.input = EinShape::image(task.channels, task.height, task.width);
  }
  return options;
}

}  // namespace nas
