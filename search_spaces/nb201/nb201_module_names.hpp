#pragma once
// The module names of a NAS-Bench-201 network, in one place: the stand-alone Nb201Network, its cells,
// its TorchScript form and the single-path one-shot supernet all name their parameters by them, so
// that a sub-network extracted from the supernet takes each tensor by name.
#include <cstddef>
#include <string>

namespace nas {

constexpr const char* kNb201StemName = "stem";
constexpr const char* kNb201HeadBnName = "head_bn";
constexpr const char* kNb201ClassifierName = "classifier";

// Cells and reduction blocks, numbered as the benchmark's TinyNetwork numbers them (and as describe()
// names them): "layer<index>".
inline std::string nb201_layer_name(std::size_t index) { return "layer" + std::to_string(index); }

// The module of a cell edge: "edge<from>_<to>".
inline std::string nb201_edge_module_name(int from, int to) {
  return "edge" + std::to_string(from) + "_" + std::to_string(to);
}

}  // namespace nas
