#pragma once
// Turns a Graphviz drawing (a search space's ModelSummary::dot) into SVG by running Graphviz's `dot`
// program (Debian package graphviz), for pages that show architectures.
#include <string>

namespace nas {

// An <svg> element ready to sit inside an HTML page: no XML prologue and no namespace declarations
// (HTML puts inline <svg> in the SVG namespace by itself, and a page that must open offline should
// not name web addresses). Every id is prefixed with `id_prefix`, so several drawings can share a
// page. Throws nas::Error naming `dot` when the program is missing (saying to install graphviz) or fails.
std::string dot_to_svg(const std::string& dot, const std::string& id_prefix);

}  // namespace nas
