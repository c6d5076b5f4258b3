#pragma once
// The macro layout of a NAS-Bench-201 network for one task, as the benchmark's TinyNetwork builds it:
// a 3x3 conv + BN stem to C channels; 3 stages of N cells each, C, 2C and 4C channels wide; before
// stages 2 and 3 a residual reduction block that halves H and W and doubles the width; then BN ->
// ReLU -> global average pool -> linear classifier. The op graph (counts, drawing) and the LibTorch
// network are both built from this plan, so they cannot disagree about shapes.
#include <cstdint>
#include <vector>

#include "search_spaces/feature_shape.hpp"
#include "search_spaces/nb201/nb201_genotype.hpp"
#include "search_spaces/nb201/nb201_options.hpp"
#include "search_spaces/task.hpp"

namespace nas {

constexpr int kNb201Stages = 3;

struct Nb201Plan {
  Nb201Genotype cell;  // every cell of the network is this one
  FeatureShape image;
  std::vector<FeatureShape> stages;  // the shape the cells of each stage keep, kNb201Stages of them
  std::int64_t cells_per_stage = 0;
  std::int64_t classes = 0;
};

// Throws nas::Error when a reduction block would meet an odd height or width: its conv path
// (3x3, stride 2, padding 1) and its shortcut (2x2 average pool) would then disagree on the size.
Nb201Plan make_nb201_plan(const Nb201Genotype& cell, const Nb201Options& options, const TaskShape& task);

}  // namespace nas
