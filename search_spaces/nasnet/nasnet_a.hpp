#pragma once
#include "core/json.hpp"

namespace nas {

// NASNet-A (Zoph et al. 2018, as slim defines it) in the genotype's JSON form: five add-blocks per
// cell and the fixed output concat masks (normal: s1..s6, reduction: s3..s6).
Json nasnet_a_genotype();

}  // namespace nas
