#pragma once
// The evaluator of image-classification searches: trains each candidate on the dataset's training
// subset and scores it on the validation set. No torch here: the run loop and the pool include it.
#include <cstdint>
#include <memory>

#include "core/config_node.hpp"
#include "evaluators/evaluation/evaluator.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

struct ImageDataset;
struct TrainerOptions;

class ImageEvaluator : public Evaluator {
 public:
  ImageEvaluator(std::shared_ptr<const ImageDataset> dataset, std::shared_ptr<const TrainerOptions> options,
                 const SearchSpace& space);

  // Checks the size cap on the architecture's description before building, builds it seeded with
  // the request's seed, trains and validates it. Errors of building or running the network (shape
  // errors) fail the trial with the first line of torch's message. Saves the trained network to the
  // request's weights file when it names one (see save_network_weights). Shares no weights.
  Evaluation evaluate(const TrialRequest& request) const override;

  // Float images in [0, 1] in, normalisation inside the module, logits out (image_model_export.hpp).
  bool exports_models() const override { return true; }
  ModelExportResult export_model(const ModelExportRequest& request) const override;

  // What the candidates are built for, and the data they are trained on: for retraining, exporting
  // and measuring test accuracy after the search.
  const TaskShape& task() const;
  const std::shared_ptr<const ImageDataset>& dataset() const { return dataset_; }
  const TrainerOptions& options() const { return *options_; }
  const SearchSpace& space() const { return space_; }

 private:
  std::shared_ptr<const ImageDataset> dataset_;
  std::shared_ptr<const TrainerOptions> options_;
  const SearchSpace& space_;
};

// Loads the dataset of `dataset_section` once (and finishes that section), reads the trainer's keys of
// `evaluator_section` (not finished: the pool reads its keys there too) and keeps `space`, which must
// outlive the evaluator. `seed` is the experiment seed; it decides the validation split.
std::unique_ptr<ImageEvaluator> make_image_evaluator(const ConfigNode& dataset_section,
                                                     const ConfigNode& evaluator_section, const SearchSpace& space,
                                                     std::uint64_t seed);

}  // namespace nas
