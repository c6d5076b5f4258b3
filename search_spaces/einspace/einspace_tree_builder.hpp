#pragma once
// Writing einspace derivation trees by hand, in the paper's notation (the seeds, tests, users' code):
// each function returns the JSON node of grammar/tree_json.hpp. Every module is an M node; `as_root`
// makes a tree's top module the S root.
#include <string>
#include <vector>

#include "core/json.hpp"

namespace nas::einspace_tree {

Json node(const char* symbol, const std::string& production, std::vector<Json> children = {});
// A computation module: M -> C -> terminal, e.g. op("linear64").
Json op(const std::string& terminal);
// Sequential modules, right-nested: seq({a, b, c}) = seq(a, seq(b, c)).
Json seq(std::vector<Json> modules);
// route[pre](inner)[post].
Json route(const std::string& pre, Json inner, const std::string& post);
// branch[split](inner... )[join]: two inner modules for b = 2, one (copied) for b = 4 or 8.
Json branch(const std::string& split, std::vector<Json> inner, const std::string& join);
// The module as the root of an architecture (S instead of M), wrapped as a genotype {"tree": ...}.
Json as_root(Json module);
Json genotype(Json module);

}  // namespace nas::einspace_tree
