#pragma once
// Lookup in the graph layers' tables of named functions (attentions, aggregators, activations): the
// names in table order, and the entry of a name, with an error listing the accepted names.
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace nas {

template <typename Entry>
std::vector<std::string> table_names(const std::vector<Entry>& table) {
  std::vector<std::string> names;
  for (const Entry& entry : table) names.push_back(entry.name);
  return names;
}

// `what` names the kind of function in the message ("attention function").
template <typename Entry>
const Entry& table_entry(const std::vector<Entry>& table, const std::string& name, const std::string& what) {
  for (const Entry& entry : table)
    if (entry.name == name) return entry;
  throw Error("", "unknown " + what + " '" + name + "'; " + accepted_list(name, table_names(table)));
}

}  // namespace nas
