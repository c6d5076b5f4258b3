#pragma once
// The op a NASNet cell applies on one branch, built from its plan; the cell and the tests that check
// each op on its own share this one mapping from op labels to ops.
#include <cstdint>
#include <memory>

#include "ops/unary_op.hpp"
#include "search_spaces/nasnet/nasnet_plan.hpp"

namespace nas {

// ReLU -> 1x1 conv -> BN: a projection to `out` channels, which also prepares the cell inputs.
std::shared_ptr<UnaryOp> make_nasnet_projection(std::int64_t in, std::int64_t out, std::int64_t stride);

// Null for an identity branch that needs no projection (identity_needs_projection).
std::shared_ptr<UnaryOp> make_nasnet_branch_op(const BranchPlan& branch);

}  // namespace nas
