#pragma once
// What a NASNet space is configured with (the `space:` section of an experiment file).
#include <cstdint>
#include <string>
#include <vector>

#include "core/config_node.hpp"

namespace nas {

struct NasnetOptions {
  std::int64_t blocks = 5;           // B: blocks per cell
  std::int64_t cells_per_stage = 1;  // N: normal cells between reductions
  std::int64_t reductions = 2;       // R: reduction cells
  std::int64_t channels = 8;         // F: filters of the first stage
  double stem_multiplier = 1.0;      // stem width = F * stem_multiplier
  // 2 halves the image before the first cell, so that the default space trains an epoch of 10,000
  // Fashion-MNIST images in under 30 s on one core (experiments/README.md); 1 is the paper's CIFAR stem.
  std::int64_t stem_stride = 2;
  std::vector<std::string> ops;      // op labels a branch may choose, in decision order
  std::vector<std::string> combines; // "add", "concat"
  double drop_path_keep = 1.0;       // ScheduledDropPath keep probability at the end of training
  double dropout = 0.0;              // drop probability before the classifier

  std::int64_t stem_channels() const { return static_cast<std::int64_t>(channels * stem_multiplier); }
};

// The 13 op labels of the NASNet paper, in the order the options list them by default.
const std::vector<std::string>& nasnet_op_labels();
const std::vector<std::string>& nasnet_combine_labels();

// What an op label means, for the code that builds or costs the op.
enum class OpFamily { identity, conv, spatial_factorized_conv, separable_conv, avg_pool, max_pool };
struct OpSpec {
  OpFamily family = OpFamily::identity;
  std::int64_t kernel = 1;    // k of kxk, or of 1xk then kx1
  std::int64_t dilation = 1;  // 2 for dil_conv_3x3
};
OpSpec nasnet_op_spec(const std::string& label);

// Reads and checks every key of the section it accepts; the caller reports unknown keys.
NasnetOptions read_nasnet_options(const ConfigNode& section);

}  // namespace nas
