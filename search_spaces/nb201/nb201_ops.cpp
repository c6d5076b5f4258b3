#include "search_spaces/nb201/nb201_ops.hpp"

#include "ops/same_pool.hpp"
#include "search_spaces/nb201/nb201_genotype.hpp"

namespace nas {

std::shared_ptr<ReluConvBn> make_nb201_conv(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride,
                                            bool relu) {
  return std::make_shared<ReluConvBn>(
      ReluConvBnOptions{in, out, kernel, stride, 1, relu, ConvPadding::symmetric, kTorchBatchNormEpsilon});
}

std::shared_ptr<UnaryOp> make_nb201_edge_op(int op, std::int64_t channels) {
  switch (op) {
    case kNb201Conv1x1:
    case kNb201Conv3x3:
      return make_nb201_conv(channels, channels, nb201_conv_kernel(op), 1);
    case kNb201AvgPool:
      // 3x3 at stride 1 pads one cell on every side, and the average leaves the padding out: the
      // benchmark's AvgPool2d(3, 1, padding=1, count_include_pad=False).
      return std::make_shared<SamePool>(SamePoolOptions{PoolKind::average, 3, 1, channels, channels});
    default:
      return nullptr;
  }
}

}  // namespace nas
