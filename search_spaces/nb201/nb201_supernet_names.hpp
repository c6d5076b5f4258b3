#pragma once
// How the single-path one-shot supernet names its tensors, and which of them a stand-alone network
// of one cell genotype inherits. The supernet uses the stand-alone Nb201Network's module names for
// everything shared (stem, layer<i> for cells and reduction blocks, head_bn, classifier) and adds one
// level below each cell edge, the op's label; so a stand-alone tensor name maps to a supernet name
// by inserting the label of the op its edge carries, and extraction copies tensors by name.
#include <string>

#include "search_spaces/nb201/nb201_genotype.hpp"
#include "search_spaces/nb201/nb201_module_names.hpp"

namespace nas {

// The supernet's name of the stand-alone tensor `name` (a parameter or buffer of the Nb201Network of
// `genotype`): "layer3.edge0_1.conv.weight" -> "layer3.edge0_1.nor_conv_3x3.conv.weight" when edge
// 0->1 carries nor_conv_3x3; names outside cell edges are the same in both.
std::string nb201_supernet_tensor_name(const std::string& name, const Nb201Genotype& genotype);

}  // namespace nas
