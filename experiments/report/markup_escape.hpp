#pragma once
// Text that goes into the HTML report (its page, its SVG charts) comes from the search log: genotypes,
// error messages, names. Escaping it keeps a genotype like "a<b" from becoming markup.
#include <string>

namespace nas {

// Replaces & < > " ' with entities, so the result is safe as element text and as a quoted attribute
// value in HTML and SVG.
std::string escape_markup(const std::string& text);

}  // namespace nas
