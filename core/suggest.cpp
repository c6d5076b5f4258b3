#include "core/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace nas {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      const std::size_t next = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = row[j];
      row[j] = next;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string closest_word(const std::string& word, const std::vector<std::string>& accepted) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& candidate : accepted) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  // A suggestion further away than a third of the word is noise rather than a typo.
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  return best_distance <= limit ? best : std::string();
}

std::string accepted_list(const std::string& word, const std::vector<std::string>& accepted) {
  std::string text = "accepted: ";
  for (std::size_t i = 0; i < accepted.size(); ++i) text += (i ? ", " : "") + accepted[i];
  const std::string guess = closest_word(word, accepted);
  if (!guess.empty()) text += " (did you mean '" + guess + "'?)";
  return text;
}

}  // namespace nas
