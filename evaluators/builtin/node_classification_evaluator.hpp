#pragma once
// The `node_classification` evaluator: trains each candidate GNN on a graph's training nodes (full
// batch) and scores it on the validation nodes; the test accuracy of the kept epoch is recorded as a
// reported metric the search never uses. With `share_weights: true` the run holds shared layers
// (shared_layers.hpp): a candidate whose request carries them first inherits the trained layers of
// earlier trials that are homogeneous with its own (Auto-GNN's constrained parameter sharing) and,
// when any layer was inherited, is fine-tuned for `fine_tune_epochs` instead of trained for
// `epochs`; it offers its own layers back. A request without them (a re-evaluation) trains from
// scratch. No torch here.
#include <cstdint>
#include <memory>
#include <string>

#include "core/config_node.hpp"
#include "evaluators/evaluation/evaluator.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

struct GraphDataset;
struct NodeTrainerOptions;

struct NodeSharingOptions {
  bool enabled = false;
  std::int64_t fine_tune_epochs = 30;
};

class NodeClassificationEvaluator : public Evaluator {
 public:
  NodeClassificationEvaluator(std::shared_ptr<const GraphDataset> dataset, std::shared_ptr<const NodeTrainerOptions> options,
                              NodeSharingOptions sharing, const SearchSpace& space);
  ~NodeClassificationEvaluator() override;

  // val_accuracy, val_loss of the kept epoch; reported: test_accuracy, test_loss, best_epoch and, with
  // shared weights in the request, inherited_layers. Networks that are not graph networks fail the trial.
  Evaluation evaluate(const TrialRequest& request) const override;
  // SharedLayers with `share_weights: true`; none otherwise.
  std::unique_ptr<SharedWeights> make_shared_weights() const override;

  // Raw features and edges in, logits out (ops/graph/node_classifier_script.hpp). Retraining trains
  // on the training and validation nodes and keeps the last epoch.
  bool exports_models() const override { return true; }
  ModelExportResult export_model(const ModelExportRequest& request) const override;

  const std::shared_ptr<const GraphDataset>& dataset() const { return dataset_; }
  const NodeTrainerOptions& options() const { return *options_; }
  const SearchSpace& space() const { return space_; }

 private:
  std::shared_ptr<const GraphDataset> dataset_;
  std::shared_ptr<const NodeTrainerOptions> options_;
  NodeSharingOptions sharing_;
  const SearchSpace& space_;
};

}  // namespace nas
