#pragma once
// The `tabular` evaluator: looks each NAS-Bench-201 cell up in the benchmark's table (every cell's
// accuracies after training, evaluators/nb201_table.hpp) instead of training it, so that a search
// runs in seconds and its outcome compares with published results. No torch here.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "evaluators/datasets/nb201_table.hpp"
#include "evaluators/evaluation/evaluator.hpp"
#include "search_spaces/nb201/nb201_space.hpp"

namespace nas {

struct TabularOptions {
  std::string fitness = "c10v_valid_acc200";  // the column a trial's val_accuracy comes from
  std::vector<std::string> report;            // columns recorded as the trial's `reported` metrics
  double seconds_per_query = 0;               // recorded as each trial's train_seconds; nothing waits
};

class TabularEvaluator : public Evaluator {
 public:
  // `options`' columns must be metric columns of `table` holding percentages (the constructor checks
  // and throws nas::Error naming the file and line of a value outside 0..100). `space` must build the
  // benchmark's network (Nb201Options::benchmark_network) and outlive the evaluator.
  TabularEvaluator(std::shared_ptr<const Nb201Table> table, const TabularOptions& options, const Nb201Space& space);

  // The cell's table row: val_accuracy = fitness / 100, val_loss = 0, reported = each report column
  // / 100, params and madds of the benchmark's network (space.describe on benchmark_task()).
  // Architectures of another space fail their trial. The request's seed, weights file and shared
  // weights play no part.
  Evaluation evaluate(const TrialRequest& request) const override;

  // The task the table's search column was measured on, CIFAR-10: 3x32x32 images, 10 classes.
  static TaskShape benchmark_task() { return TaskShape{3, 32, 32, 10}; }

 private:
  std::shared_ptr<const Nb201Table> table_;
  int fitness_ = 0;                                  // metric index
  std::vector<std::pair<std::string, int>> report_;  // column name, metric index
  double seconds_per_query_ = 0;
  const Nb201Space& space_;
};

}  // namespace nas
