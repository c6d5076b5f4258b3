#include "search_spaces/nasnet/nasnet_branch_op.hpp"

#include "ops/relu_conv_bn.hpp"
#include "ops/same_pool.hpp"
#include "ops/separable_conv.hpp"
#include "ops/spatial_factorized_conv.hpp"

namespace nas {

std::shared_ptr<UnaryOp> make_nasnet_projection(std::int64_t in, std::int64_t out, std::int64_t stride) {
  return std::make_shared<ReluConvBn>(ReluConvBnOptions{in, out, 1, stride, 1, true});
}

std::shared_ptr<UnaryOp> make_nasnet_branch_op(const BranchPlan& branch) {
  const OpSpec spec = nasnet_op_spec(branch.op);
  const std::int64_t in = branch.in.channels, out = branch.out.channels;
  switch (spec.family) {
    case OpFamily::identity:
      return identity_needs_projection(branch) ? make_nasnet_projection(in, out, branch.stride) : nullptr;
    case OpFamily::conv:
      return std::make_shared<ReluConvBn>(ReluConvBnOptions{in, out, spec.kernel, branch.stride, spec.dilation, true});
    case OpFamily::spatial_factorized_conv:
      return std::make_shared<SpatialFactorizedConv>(SpatialFactorizedConvOptions{in, out, spec.kernel, branch.stride});
    case OpFamily::separable_conv:
      return std::make_shared<SeparableConv>(SeparableConvOptions{in, out, spec.kernel, branch.stride});
    case OpFamily::avg_pool:
    case OpFamily::max_pool:
      return std::make_shared<SamePool>(SamePoolOptions{
          spec.family == OpFamily::avg_pool ? PoolKind::average : PoolKind::max, spec.kernel, branch.stride, in, out});
  }
  return nullptr;
}

}  // namespace nas
