#include "evaluators/builtin/image_model_export.hpp"

#include <torch/script.h>

#include "core/error.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/training/network_weights.hpp"
#include "evaluators/training/seeded_build.hpp"
#include "evaluators/training/trainer.hpp"
#include "evaluators/training/trainer_options.hpp"
#include "ops/script_export.hpp"

namespace nas {
namespace {

std::vector<double> to_vector(const torch::Tensor& values) {
  const torch::Tensor flat = values.to(torch::kCPU, torch::kFloat64).contiguous().view({-1});
  return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

}  // namespace

ExportedNetwork standalone_network(const SearchSpace& space, const ImageDataset& data, const TrainerOptions& training,
                                   const ModelExportRequest& request) {
  ExportedNetwork exported;
  exported.net = build_seeded(space, request.arch, data.shape, request.seed);
  if (request.retrain_epochs > 0) {
    TrainerOptions options = training;
    options.epochs = request.retrain_epochs;
    options.max_steps = 0;
    // No time limit here: the user asked for this training and waits for it.
    const TrialClock clock(0, "");
    const torch::Tensor images = torch::cat({data.train_images, data.val_images});
    const torch::Tensor labels = torch::cat({data.train_labels, data.val_labels});
    train_network(*exported.net, images, labels, data.mean, data.std, options, request.seed, clock);
    exported.train_images = images.size(0);
    exported.train_seconds = clock.elapsed_seconds();
  } else {
    load_network_weights(*exported.net, request.weights_file);
    exported.train_images = data.train_images.size(0);
  }
  return exported;
}

ModelExportResult export_image_network(const ExportedNetwork& exported, const ImageDataset& data,
                                       const TrainerOptions& evaluation, const std::string& out) {
  Network& net = *exported.net;
  const TrialClock clock(0, "");
  const EvaluationResult test =
      evaluate_network(net, data.test_images, data.test_labels, data.mean, data.std, evaluation, clock);
  const std::int64_t test_images = data.test_images.size(0);
  const TaskShape& shape = data.shape;
  ModelExportResult result;
  result.test_accuracy = test.accuracy;
  result.test_loss = test.loss;
  result.params = parameter_count(net);
  result.train_seconds = exported.train_seconds;
  result.input = {{"shape", {shape.channels, shape.height, shape.width}},
                  {"layout", "NCHW, any batch size"},
                  {"dtype", "float32"},
                  {"range", data.input_range.empty()
                                ? Json("as stored in the dataset's float32 .npy files (not rescaled)")
                                : Json(data.input_range)},
                  {"normalisation",
                   {{"mean", to_vector(data.mean)}, {"std", to_vector(data.std)}, {"applied", "inside the module"}}}};
  result.output = "logits [N, " + std::to_string(data.class_names.size()) + "], one per class";
  result.classes = data.class_names;
  result.weights = {{"train_images", exported.train_images}};
  result.metrics = {{"test_images", test_images}};
  result.tested_on = std::to_string(test_images) + " test images";

  net.to(torch::kCPU);
  torch::jit::Module module = script_image_classifier(net, data.mean, data.std);
  save_script_module(module, out);
  return result;
}

}  // namespace nas
