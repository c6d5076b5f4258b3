#include "search_spaces/nasnet/nasnet_canonical.hpp"

#include <algorithm>

#include "core/architecture.hpp"

namespace nas {
namespace {

// A block that reads the previous block twice doubles the expression length; beyond this length a
// sub-expression is replaced by its hash, which keeps the string short at a negligible collision risk.
constexpr std::size_t kLongestInlineExpression = 160;

std::string compact(std::string expression) {
  return expression.size() > kLongestInlineExpression ? "#" + stable_hash_hex(expression) : expression;
}

std::string cell_canonical(const NasnetCellGenotype& cell) {
  std::vector<std::string> states = {"s0", "s1"};
  for (const auto& block : cell.blocks) {
    std::string a = block.ops[0] + "(" + states[block.inputs[0]] + ")";
    std::string b = block.ops[1] + "(" + states[block.inputs[1]] + ")";
    if (b < a) std::swap(a, b);
    states.push_back(compact(block.combine + "{" + a + "," + b + "}"));
  }
  std::vector<std::string> outputs;
  for (int state : cell.concat) outputs.push_back(states[state]);
  std::sort(outputs.begin(), outputs.end());
  std::string text = "[";
  for (std::size_t i = 0; i < outputs.size(); ++i) text += (i ? ";" : "") + outputs[i];
  return text + "]";
}

}  // namespace

std::string nasnet_canonical(const NasnetGenotype& genotype) {
  return "normal" + cell_canonical(genotype.cells[kNormalCell]) + " reduction" +
         cell_canonical(genotype.cells[kReductionCell]);
}

}  // namespace nas
