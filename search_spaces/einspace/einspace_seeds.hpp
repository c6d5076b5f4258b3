#pragma once
// The paper's seed architectures written in the grammar (as the official code writes them, in
// seed_architectures.py): derivation trees as JSON (grammar/tree_json.hpp), rooted at S.
#include <string>
#include <vector>

#include "core/json.hpp"

namespace nas {

// "resnet18" (ResNet-18 without the max-pool), "wrn16-4", "vit", "mlp-mixer".
const std::vector<std::string>& einspace_seed_names();
// Throws nas::Error for another name.
Json einspace_seed(const std::string& name);

}  // namespace nas
