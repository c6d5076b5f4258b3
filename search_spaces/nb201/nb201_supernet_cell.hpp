#pragma once
// One NAS-Bench-201 cell of the single-path one-shot supernet (search_spaces/nb201/nb201_supernet.hpp):
// every edge holds one module per op the space offers, and a forward pass runs the single path of one
// cell genotype, computing exactly what Nb201Cell of that genotype computes with the same weights.
//
// Module names: edge module "edge<from>_<to>" (as Nb201Cell names it), and below it one module per op,
// named by its label ("nor_conv_3x3", "nor_conv_1x1", "avg_pool_3x3"). So the supernet's
// "edge0_1.nor_conv_3x3.conv.weight" is the stand-alone cell's "edge0_1.conv.weight" when edge 0->1
// carries nor_conv_3x3 (see nb201_supernet_names.hpp). skip_connect and none have no module, as in
// Nb201Cell.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "ops/unary_op.hpp"
#include "search_spaces/nb201/nb201_genotype.hpp"

namespace nas {

class Nb201SupernetCell : public torch::nn::Module {
 public:
  // `ops`: the op labels of the space (Nb201Options::ops); a module is made for each that has one.
  Nb201SupernetCell(const std::vector<std::string>& ops, std::int64_t channels);

  // The cell of `genotype` on the path through this cell's modules. Throws nas::Error when the
  // genotype uses an op with a module that the space does not offer (so this cell does not hold it).
  torch::Tensor forward(const torch::Tensor& input, const Nb201Genotype& genotype);

 private:
  // Per edge, per op code: the op's module, null for skip_connect, none and ops the space lacks.
  std::array<std::array<std::shared_ptr<UnaryOp>, kNb201Ops>, kNb201Edges> ops_{};
  std::array<bool, kNb201Ops> offered_{};  // by op code: whether the space offers it
};

}  // namespace nas
