#pragma once
#include <string>
#include <vector>

namespace nas {

// The accepted word closest to `word` by edit distance, or "" when none is plausibly a typo of it.
std::string closest_word(const std::string& word, const std::vector<std::string>& accepted);

// "accepted: a, b, c (did you mean 'b'?)" — the tail every "unknown name" message shares.
std::string accepted_list(const std::string& word, const std::vector<std::string>& accepted);

}  // namespace nas
