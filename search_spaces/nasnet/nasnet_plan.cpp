#include "search_spaces/nasnet/nasnet_plan.hpp"

namespace nas {
namespace {

std::int64_t halved(std::int64_t size) { return (size + 1) / 2; }

// Reduction cells sit before normal cell k * N for k = 1..R (slim's floor(k / (R + 1) * num_cells)
// with num_cells = N * (R + 1)), so every stage has N normal cells.
std::vector<CellKind> cell_sequence(const NasnetOptions& options) {
  std::vector<CellKind> kinds;
  for (std::int64_t stage = 0; stage <= options.reductions; ++stage) {
    if (stage > 0) kinds.push_back(kReductionCell);
    for (std::int64_t n = 0; n < options.cells_per_stage; ++n) kinds.push_back(kNormalCell);
  }
  return kinds;
}

CellPlan plan_cell(const NasnetCellGenotype& genotype, CellKind kind, int index, std::int64_t filters,
                   const std::vector<FeatureShape>& sources) {
  CellPlan cell;
  cell.index = index;
  cell.kind = kind;
  cell.filters = filters;
  cell.input_source = index;
  cell.previous_input_source = index > 0 ? index - 1 : 0;
  cell.input = sources[cell.input_source];
  cell.previous_input = sources[cell.previous_input_source];

  const FeatureShape s0{filters, cell.input.height, cell.input.width};
  FeatureShape s1 = cell.previous_input;
  if (index > 0 && cell.previous_input.height != cell.input.height) {
    cell.previous_adjust = PreviousInputAdjust::factorized_reduce;
    s1 = s0;
  } else if (index > 0 && cell.previous_input.channels != filters) {
    cell.previous_adjust = PreviousInputAdjust::project;
    s1 = s0;
  }
  cell.states = {s0, s1};

  const std::int64_t stride = kind == kReductionCell ? 2 : 1;
  const FeatureShape branch_out{filters, stride == 2 ? halved(s0.height) : s0.height,
                                stride == 2 ? halved(s0.width) : s0.width};
  for (const auto& block : genotype.blocks) {
    BlockPlan plan;
    plan.combine = block.combine;
    for (int i = 0; i < 2; ++i) {
      BranchPlan& branch = plan.branches[i];
      branch.input = block.inputs[i];
      branch.op = block.ops[i];
      branch.stride = branch.input < 2 ? stride : 1;
      branch.in = cell.states[branch.input];
      branch.out = branch_out;
    }
    plan.out = branch_out;
    if (block.combine == "concat") plan.out.channels = 2 * filters;
    cell.states.push_back(plan.out);
    cell.blocks.push_back(plan);
  }

  cell.out = FeatureShape{0, branch_out.height, branch_out.width};
  for (int state : genotype.concat) {
    OutputPlan output;
    output.state = state;
    output.in = cell.states[state];
    output.out = output.in;
    if (state < 2 && (output.in.channels != filters || output.in.height != branch_out.height)) {
      output.fix = true;
      output.fix_stride = output.in.height != branch_out.height ? 2 : 1;
      output.out = FeatureShape{filters, branch_out.height, branch_out.width};
    }
    cell.out.channels += output.out.channels;
    cell.outputs.push_back(output);
  }
  return cell;
}

}  // namespace

bool identity_needs_projection(const BranchPlan& branch) {
  return branch.stride > 1 || branch.in.channels != branch.out.channels;
}

NasnetPlan make_nasnet_plan(const NasnetGenotype& genotype, const NasnetOptions& options, const TaskShape& task) {
  NasnetPlan plan;
  plan.image = FeatureShape{task.channels, task.height, task.width};
  // TF SAME padding: a stride-s stem gives ceil(size / s).
  const auto strided = [&](std::int64_t size) { return (size + options.stem_stride - 1) / options.stem_stride; };
  plan.stem = FeatureShape{options.stem_channels(), strided(task.height), strided(task.width)};
  plan.stem_stride = options.stem_stride;
  plan.classes = task.classes;
  plan.dropout = options.dropout;

  const auto kinds = cell_sequence(options);
  std::vector<FeatureShape> sources = {plan.stem};  // outputs that later cells may read
  std::int64_t filters = options.channels;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i] == kReductionCell) filters *= 2;
    CellPlan cell = plan_cell(genotype.cells[kinds[i]], kinds[i], static_cast<int>(i), filters, sources);
    // Slim's layer-scaled keep probability: deeper cells drop more.
    const double depth = static_cast<double>(i + 1) / static_cast<double>(kinds.size());
    cell.drop_path_keep = 1.0 - depth * (1.0 - options.drop_path_keep);
    sources.push_back(cell.out);
    plan.cells.push_back(std::move(cell));
  }
  return plan;
}

}  // namespace nas
