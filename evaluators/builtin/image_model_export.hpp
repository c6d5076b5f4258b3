#pragma once
// The torch side of `nas export` for image classifiers: the network of a trial (its kept weights,
// retrained from scratch on training + validation images, or, with weight sharing, inherited from the
// run's supernet), its test accuracy measured once, and the TorchScript file (normalisation inside;
// see ops/script_export.hpp). Shared by the evaluators whose candidates are image classifiers (`train`,
// `inherited`): they differ in where the weights come from, never in how a model is tested and written.
// No torch here.
#include <cstdint>
#include <memory>
#include <string>

#include "evaluators/evaluation/evaluator.hpp"

namespace nas {

struct ImageDataset;
struct TrainerOptions;
class Network;

// A network ready to export, and what model.json says of its training.
struct ExportedNetwork {
  std::shared_ptr<Network> net;
  std::int64_t train_images = 0;  // images its weights were trained on
  double train_seconds = 0;       // of a retraining here; 0 otherwise
};

// The request's network built from its architecture and seed: retrained from scratch with `training`
// (epochs replaced by request.retrain_epochs, no step cap, no time limit) on the training and validation
// images when request.retrain_epochs > 0, else with the weights of request.weights_file (trained on the
// training images). Throws nas::Error naming the weights file when they do not load.
ExportedNetwork standalone_network(const SearchSpace& space, const ImageDataset& data, const TrainerOptions& training,
                                   const ModelExportRequest& request);

// Measures the test accuracy of `exported` once (in batches of evaluation.eval_batch_size on
// evaluation.device), writes it to `out` as TorchScript and fills what model.json says of an image
// classifier: input, output, classes, the images its weights were trained on and tested on.
ModelExportResult export_image_network(const ExportedNetwork& exported, const ImageDataset& data,
                                       const TrainerOptions& evaluation, const std::string& out);

}  // namespace nas
