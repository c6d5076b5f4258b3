#pragma once
// The ops of NAS-Bench-201 networks as the benchmark's PyTorch code makes them: convs pad
// symmetrically by (k - 1) / 2 and BatchNorm uses PyTorch's defaults (epsilon 1e-5, momentum 0.1).
#include <memory>

#include "ops/relu_conv_bn.hpp"

namespace nas {

// [ReLU ->] kxk conv (stride `stride`, no bias) -> BN: nor_conv ops, the reduction block's convs and
// (without the ReLU) the stem.
std::shared_ptr<ReluConvBn> make_nb201_conv(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride,
                                            bool relu = true);

// The module of a cell edge carrying `op` on `channels` channels (which the cell keeps): null for
// skip_connect (the identity) and none (whose output the cell replaces by zeros).
std::shared_ptr<UnaryOp> make_nb201_edge_op(int op, std::int64_t channels);

}  // namespace nas
