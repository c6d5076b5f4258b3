#include "search_spaces/nasnet/nasnet_options.hpp"

#include <map>

namespace nas {

const std::vector<std::string>& nasnet_op_labels() {
  static const std::vector<std::string> labels = {
      "identity",     "conv_1x3_3x1", "conv_1x7_7x1", "dil_conv_3x3", "avg_pool_3x3",
      "max_pool_3x3", "max_pool_5x5", "max_pool_7x7", "conv_1x1",     "conv_3x3",
      "sep_conv_3x3", "sep_conv_5x5", "sep_conv_7x7"};
  return labels;
}

const std::vector<std::string>& nasnet_combine_labels() {
  static const std::vector<std::string> labels = {"add", "concat"};
  return labels;
}

OpSpec nasnet_op_spec(const std::string& label) {
  static const std::map<std::string, OpSpec> specs = {
      {"identity", {OpFamily::identity, 1, 1}},
      {"conv_1x3_3x1", {OpFamily::spatial_factorized_conv, 3, 1}},
      {"conv_1x7_7x1", {OpFamily::spatial_factorized_conv, 7, 1}},
      {"dil_conv_3x3", {OpFamily::conv, 3, 2}},
      {"avg_pool_3x3", {OpFamily::avg_pool, 3, 1}},
      {"max_pool_3x3", {OpFamily::max_pool, 3, 1}},
      {"max_pool_5x5", {OpFamily::max_pool, 5, 1}},
      {"max_pool_7x7", {OpFamily::max_pool, 7, 1}},
      {"conv_1x1", {OpFamily::conv, 1, 1}},
      {"conv_3x3", {OpFamily::conv, 3, 1}},
      {"sep_conv_3x3", {OpFamily::separable_conv, 3, 1}},
      {"sep_conv_5x5", {OpFamily::separable_conv, 5, 1}},
      {"sep_conv_7x7", {OpFamily::separable_conv, 7, 1}}};
  const auto it = specs.find(label);
  if (it == specs.end()) throw Error("", "unknown NASNet op '" + label + "'");
  return it->second;
}

NasnetOptions read_nasnet_options(const ConfigNode& section) {
  NasnetOptions options;
  options.blocks = section.integer("blocks", options.blocks, 1, 10);
  options.cells_per_stage = section.integer("cells_per_stage", options.cells_per_stage, 1, 32);
  // At least one reduction, so that the reduction cell's decisions always shape the network.
  options.reductions = section.integer("reductions", options.reductions, 1, 5);
  options.channels = section.integer("channels", options.channels, 1, 4096);
  options.stem_multiplier = section.number("stem_multiplier", options.stem_multiplier, 0.0, 64.0);
  if (options.stem_channels() < 1)
    throw section.error("stem_multiplier", "channels * stem_multiplier must be at least 1 stem channel");
  // The CIFAR stem keeps the image size; a stride-2 stem (as ImageNet NASNet starts with) makes every
  // cell about four times cheaper, which is what a quick search on small images needs.
  options.stem_stride = section.integer("stem_stride", options.stem_stride, 1, 4);
  options.ops = section.option_list("ops", nasnet_op_labels(), nasnet_op_labels());
  options.combines = section.option_list("combines", nasnet_combine_labels(), nasnet_combine_labels());
  options.drop_path_keep = section.number("drop_path_keep", options.drop_path_keep, 0.0, 1.0);
  if (options.drop_path_keep <= 0.0)
    throw section.error("drop_path_keep", "must be above 0 (1 turns drop-path off), got 0");
  options.dropout = section.number("dropout", options.dropout, 0.0, 0.99);
  return options;
}

}  // namespace nas
