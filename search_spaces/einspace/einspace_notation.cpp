#include "search_spaces/einspace/einspace_notation.hpp"

namespace nas {
namespace {

void write(const EinspaceGrammar& grammar, const EinNode& node, std::string& out);

const std::string& label(const EinspaceGrammar& grammar, const EinNode& node) {
  return grammar.grammar().productions(node.symbol)[node.production].label;
}

void write_sequence_items(const EinspaceGrammar& grammar, const EinNode& node, std::string& out, bool& first) {
  for (const auto& child : node.children) {
    if (child->production == kSequential && child->symbol == grammar.symbols().m) {
      write_sequence_items(grammar, *child, out, first);
      continue;
    }
    if (!first) out += ", ";
    first = false;
    write(grammar, *child, out);
  }
}

void write(const EinspaceGrammar& grammar, const EinNode& node, std::string& out) {
  const EinSymbols& y = grammar.symbols();
  if (node.symbol != y.s && node.symbol != y.m) {
    out += label(grammar, node);
    return;
  }
  const auto& kids = node.children;
  switch (node.production) {
    case kSequential: {
      out += "seq(";
      bool first = true;
      write_sequence_items(grammar, node, out, first);
      out += ")";
      return;
    }
    case kBranching:
      out += "branch[" + label(grammar, *kids[0]) + "](";
      for (std::size_t i = 1; i + 1 < kids.size(); ++i) {
        if (i > 1) out += " | ";
        write(grammar, *kids[i], out);
      }
      out += ")[" + label(grammar, *kids.back()) + "]";
      return;
    case kRouting:
      out += "route[" + label(grammar, *kids[0]) + "](";
      write(grammar, *kids[1], out);
      out += ")[" + label(grammar, *kids[2]) + "]";
      return;
    default:
      write(grammar, *kids[0], out);
  }
}

}  // namespace

std::string einspace_notation(const EinspaceGrammar& grammar, const EinNode& node) {
  std::string out;
  write(grammar, node, out);
  return out;
}

}  // namespace nas
