#pragma once
// Trains a graph network for node classification: full batch (the whole graph each epoch), the
// optimizer of evaluator.optimizer (Adam by default), and the state of the epoch with the best
// validation figure kept, as GAT and GraphNAS select their models.
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "evaluators/datasets/graph_dataset.hpp"
#include "evaluators/training/optimizer_registry.hpp"
#include "evaluators/training/trainer.hpp"
#include "ops/graph/graph_network.hpp"

namespace nas {

// Which epoch's weights training keeps: the best by validation accuracy (ties: the lower loss), the
// best by validation loss, GAT's rule (an epoch whose validation accuracy is at least the best so far
// and whose loss is at most the lowest so far, each record kept on its own), or the last (for
// retraining on the validation nodes too).
enum class NodeSelection { val_accuracy, val_loss, val_accuracy_and_loss, last_epoch };

struct NodeTrainerOptions {
  std::int64_t epochs = 300;
  OptimizerFactory make_optimizer;  // default: Adam, lr 0.005, weight decay 5e-4 (GAT's and GraphNAS's)
  NodeSelection selection = NodeSelection::val_accuracy;
  // Early stopping as GAT does it: stop once `patience` epochs in a row have raised neither the
  // validation accuracy record nor lowered the loss record (ties count as progress); 0: train all epochs.
  std::int64_t patience = 0;
  double trial_time_limit = 0;  // seconds; 0: none
  std::string trial_time_limit_key = "evaluator.trial_time_limit";
};

// Reads the trainer's keys of the `evaluator:` section (epochs, optimizer, selection, patience,
// trial_time_limit); does not finish it.
NodeTrainerOptions read_node_trainer_options(const ConfigNode& section);

struct NodeScores {
  double accuracy = 0;
  double loss = 0;  // mean cross-entropy
};

struct NodeTrainingResult {
  NodeScores val, test;        // of the kept epoch
  std::int64_t best_epoch = 0;  // 1-based
  // The validation and test scores of every epoch run (fewer than asked when patience stopped it), for
  // curves and for graphnas_test_accuracy.
  std::vector<NodeScores> val_by_epoch, test_by_epoch;
  double seconds = 0;
};

// Trains `net` for `epochs` from its current weights on `train_nodes`, keeps (and leaves loaded) the
// weights of the best epoch by options.selection. Dropout draws from a generator of this training's own
// seeded from `seed` (ops/training_random), so the result depends on the seed and the initial weights
// only, however many trainings run at once. Throws TrialFailure when the loss stops being
// finite or the clock runs out. Test scores are measured at every epoch but never select anything.
NodeTrainingResult train_node_classifier(GraphNetwork& net, const GraphDataset& data, const torch::Tensor& train_nodes,
                                         const NodeTrainerOptions& options, std::int64_t epochs, std::uint64_t seed,
                                         const TrialClock& clock);

// The figure GraphNAS's tables report for a training (its run_model with return_best): the highest test
// accuracy among the epochs that lowered the validation loss record. It picks by the test set, so it is
// at least the test accuracy of the lowest-loss epoch; it is here to compare with GraphNAS's numbers
// (84.3 on Cora), never to select anything. 0 without epochs.
double graphnas_test_accuracy(const NodeTrainingResult& result);

// Scores of `net` in eval mode on `nodes`.
NodeScores score_nodes(GraphNetwork& net, const GraphDataset& data, const torch::Tensor& nodes);

}  // namespace nas
