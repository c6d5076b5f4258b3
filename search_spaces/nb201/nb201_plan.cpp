#include "search_spaces/nb201/nb201_plan.hpp"

#include "core/error.hpp"

namespace nas {

Nb201Plan make_nb201_plan(const Nb201Genotype& cell, const Nb201Options& options, const TaskShape& task) {
  Nb201Plan plan;
  plan.cell = cell;
  plan.image = FeatureShape{task.channels, task.height, task.width};
  plan.cells_per_stage = options.cells_per_stage;
  plan.classes = task.classes;
  // The stem's 3x3 conv pads by 1, so the first stage keeps the image size.
  plan.stages.push_back(FeatureShape{options.channels, task.height, task.width});
  for (int stage = 1; stage < kNb201Stages; ++stage) {
    const FeatureShape& before = plan.stages.back();
    if (before.height % 2 != 0 || before.width % 2 != 0)
      throw Error("", "the NAS-Bench-201 network halves the feature map twice, which needs even sizes: stage " +
                          std::to_string(stage) + " ends at " + std::to_string(before.height) + "x" +
                          std::to_string(before.width) + " for a " + plan.image.text() +
                          " input; use images whose height and width divide by 4, e.g. 1x28x28 or 3x32x32");
    plan.stages.push_back(FeatureShape{before.channels * 2, before.height / 2, before.width / 2});
  }
  return plan;
}

}  // namespace nas
