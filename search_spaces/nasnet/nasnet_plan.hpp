#pragma once
// The macro layout of a NASNet network for one task: every cell with its width F', the shapes of its
// states and what each branch, input adjustment and output fix does. The op graph (counts, drawing)
// and the LibTorch network are both built from this plan, so they cannot disagree about shapes.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "search_spaces/feature_shape.hpp"
#include "search_spaces/nasnet/nasnet_genotype.hpp"
#include "search_spaces/nasnet/nasnet_options.hpp"
#include "search_spaces/task.hpp"

namespace nas {

// How a cell turns h_{i-1} into s1 so that it matches h_i.
enum class PreviousInputAdjust {
  none,               // same shape already, or the first cell (which reads the stem output as it is)
  project,            // same H x W, other width: ReLU -> 1x1 conv -> BN
  factorized_reduce,  // twice the H x W (h_i came from a reduction cell): ReLU -> factorized reduction
};

struct BranchPlan {
  int input = 0;  // state index
  std::string op;
  std::int64_t stride = 1;  // 2 only for reduction-cell branches that read s0 or s1
  FeatureShape in, out;
};

struct BlockPlan {
  std::array<BranchPlan, 2> branches;
  std::string combine;
  FeatureShape out;
};

// A state concatenated into the cell output; a cell input whose shape differs from F' at the
// output size is first brought there by a factorized reduction (stride 2 when the size differs).
struct OutputPlan {
  int state = 0;
  bool fix = false;
  std::int64_t fix_stride = 1;
  FeatureShape in, out;
};

struct CellPlan {
  int index = 0;  // position among all cells, normal and reduction
  CellKind kind = kNormalCell;
  std::int64_t filters = 0;  // F': every branch outputs this many channels
  // Where the inputs come from: 0 = the stem, k > 0 = the output of cell k - 1.
  int input_source = 0;
  int previous_input_source = 0;
  FeatureShape input, previous_input;  // h_i and h_{i-1}
  PreviousInputAdjust previous_adjust = PreviousInputAdjust::none;
  std::vector<FeatureShape> states;  // s0 (after its 1x1), s1 (after the adjustment), block outputs
  std::vector<BlockPlan> blocks;
  std::vector<OutputPlan> outputs;
  FeatureShape out;
  double drop_path_keep = 1.0;  // this cell's keep probability at the end of training
};

struct NasnetPlan {
  FeatureShape image;
  FeatureShape stem;
  std::int64_t stem_stride = 1;
  std::vector<CellPlan> cells;
  std::int64_t classes = 0;
  double dropout = 0.0;
};

// Sizes follow TF SAME padding: a stride-2 op maps n rows to ceil(n / 2).
NasnetPlan make_nasnet_plan(const NasnetGenotype& genotype, const NasnetOptions& options, const TaskShape& task);

// Whether an identity branch really is one: it becomes ReLU -> 1x1 conv -> BN when it strides or
// its input width differs from F'.
bool identity_needs_projection(const BranchPlan& branch);

}  // namespace nas
