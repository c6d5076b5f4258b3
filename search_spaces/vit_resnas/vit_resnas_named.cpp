#include "search_spaces/vit_resnas/vit_resnas_named.hpp"

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace nas {
namespace {

const char* const kTinySearched = "tiny-searched";
// Short form (vit_resnas_genotype.hpp); "-" marks the skipped blocks.
const char* const kTinySearchedShort =
    "176: 3/704 3/576 3/640 4/576 4/704 - | "
    "352: 10/1408 8/1408 8/1280 8/1408 10/1280 10/1024 | "
    "704: 10/2560 10/1792 10/2816 8/2816 8/2560 -";

}  // namespace

std::vector<std::string> vit_resnas_named_architectures(const VitResnasOptions& options) {
  if (options.preset == "tiny") return {kTinySearched};
  return {};
}

VitResnasGenotype vit_resnas_named_genotype(const std::string& name, const VitResnasOptions& options) {
  const std::vector<std::string> names = vit_resnas_named_architectures(options);
  if (name == kTinySearched && !names.empty()) return parse_vit_resnas_genotype(Json(kTinySearchedShort), options);
  if (name == kTinySearched)
    throw Error("--arch", "'" + name + "' is an architecture of the tiny preset; this space uses preset '" +
                              options.preset + "' (space.preset)");
  throw Error("--arch", "search space 'vit_resnas' (preset " + options.preset + ") has no architecture named '" + name +
                            "'; " + (names.empty() ? std::string("it offers none") : accepted_list(name, names)));
}

}  // namespace nas
