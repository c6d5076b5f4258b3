#pragma once
// The torch side of `nas export` for image classifiers: the trained network of a trial (its kept
// weights, or retrained from scratch on training + validation images), its test accuracy measured
// once, and the TorchScript file (normalisation inside; see ops/script_export.hpp). No torch here.
#include <cstdint>
#include <string>
#include <vector>

#include "core/architecture.hpp"
#include "evaluators/evaluation/evaluator.hpp"

namespace nas {

class ImageEvaluator;

struct ImageModelResult {
  double test_accuracy = 0;
  double test_loss = 0;
  std::int64_t test_images = 0;
  std::int64_t train_images = 0;      // images the exported weights were trained on
  double train_seconds = 0;           // of the retraining; 0 for kept weights
  std::int64_t params = 0;
  std::vector<double> mean, std;      // the normalisation inside the module, per channel
  std::vector<std::string> class_names;  // by logit index
  std::vector<double> input_range;       // ImageDataset::input_range
};

ImageModelResult export_image_model(const ImageEvaluator& evaluator, const ModelExportRequest& request);

}  // namespace nas
