#include "evaluators/builtin/image_model_export.hpp"

#include <torch/script.h>

#include "core/error.hpp"
#include "evaluators/builtin/image_evaluator.hpp"
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

ImageModelResult export_image_model(const ImageEvaluator& evaluator, const ModelExportRequest& request) {
  const ImageDataset& data = *evaluator.dataset();
  const std::shared_ptr<Network> net = build_seeded(evaluator.space(), request.arch, data.shape, request.seed);
  ImageModelResult result;
  // No time limit here: the user asked for this training and waits for it.
  const TrialClock clock(0, "");
  if (request.retrain_epochs > 0) {
    TrainerOptions options = evaluator.options();
    options.epochs = request.retrain_epochs;
    options.max_steps = 0;
    const torch::Tensor images = torch::cat({data.train_images, data.val_images});
    const torch::Tensor labels = torch::cat({data.train_labels, data.val_labels});
    train_network(*net, images, labels, data.mean, data.std, options, request.seed, clock);
    result.train_images = images.size(0);
    result.train_seconds = clock.elapsed_seconds();
  } else {
    load_network_weights(*net, request.weights_file);
    result.train_images = data.train_images.size(0);
  }
  const EvaluationResult test =
      evaluate_network(*net, data.test_images, data.test_labels, data.mean, data.std, evaluator.options(), clock);
  result.test_accuracy = test.accuracy;
  result.test_loss = test.loss;
  result.test_images = data.test_images.size(0);
  result.params = parameter_count(*net);
  result.mean = to_vector(data.mean);
  result.std = to_vector(data.std);
  result.class_names = data.class_names;
  result.input_range = data.input_range;

  net->to(torch::kCPU);
  torch::jit::Module module = script_image_classifier(*net, data.mean, data.std);
  save_script_module(module, request.out);
  return result;
}

}  // namespace nas
