#pragma once
// JSON from outside the program (a genotype file, a table row) read with bounds: at most `max_bytes`
// of text and `max_depth` levels of nesting, so that a hostile file can neither exhaust memory nor
// overflow the stack of the code that walks (or destroys) what was read. Errors name `where` and
// quote no more than a short excerpt.
#include <cstddef>
#include <string>

#include "core/json.hpp"

namespace nas {

constexpr int kMaxJsonDepth = 1000;
constexpr std::size_t kMaxJsonBytes = 64u << 20;

// The JSON text of the file at `path`; throws nas::Error naming it.
Json read_json_file(const std::string& path, int max_depth = kMaxJsonDepth, std::size_t max_bytes = kMaxJsonBytes);
Json parse_json(const std::string& text, const std::string& where, int max_depth = kMaxJsonDepth);

}  // namespace nas
