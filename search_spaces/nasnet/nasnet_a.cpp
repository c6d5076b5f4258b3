#include "search_spaces/nasnet/nasnet_a.hpp"

#include <string>

namespace nas {
namespace {

Json add_block(const std::string& op_a, const std::string& input_a, const std::string& op_b, const std::string& input_b) {
  return Json{{"inputs", {input_a, input_b}}, {"ops", {op_a, op_b}}, {"combine", "add"}};
}

}  // namespace

Json nasnet_a_genotype() {
  return Json{
      {"normal",
       {add_block("sep_conv_5x5", "s0", "sep_conv_3x3", "s1"), add_block("sep_conv_5x5", "s1", "sep_conv_3x3", "s1"),
        add_block("avg_pool_3x3", "s0", "identity", "s1"), add_block("avg_pool_3x3", "s1", "avg_pool_3x3", "s1"),
        add_block("sep_conv_3x3", "s0", "identity", "s0")}},
      {"reduction",
       {add_block("sep_conv_5x5", "s0", "sep_conv_7x7", "s1"), add_block("max_pool_3x3", "s0", "sep_conv_7x7", "s1"),
        add_block("avg_pool_3x3", "s0", "sep_conv_5x5", "s1"), add_block("identity", "s3", "avg_pool_3x3", "s2"),
        add_block("sep_conv_3x3", "s2", "max_pool_3x3", "s0")}},
      // Slim's masks, copied rather than derived: s1 is read and still concatenated in the normal
      // cell, and s3 likewise in the reduction cell.
      {"normal_concat", {"s1", "s2", "s3", "s4", "s5", "s6"}},
      {"reduction_concat", {"s3", "s4", "s5", "s6"}}};
}

}  // namespace nas
