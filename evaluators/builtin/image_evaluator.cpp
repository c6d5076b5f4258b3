#include "evaluators/builtin/image_evaluator.hpp"

#include "evaluators/builtin/image_model_export.hpp"
#include "evaluators/datasets/dataset_registry.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/evaluation/evaluator_registry.hpp"
#include "evaluators/training/network_weights.hpp"
#include "evaluators/training/seeded_build.hpp"
#include "evaluators/training/trainer.hpp"
#include "evaluators/training/trainer_options.hpp"

namespace nas {
namespace {

const bool registered = evaluator_registry().add(
    kDefaultEvaluator,
    [](const EvaluatorSections& sections, const SearchSpace& space, std::uint64_t seed) -> std::unique_ptr<Evaluator> {
      return make_image_evaluator(sections.dataset, sections.evaluator, space, seed);
    });

}  // namespace

ImageEvaluator::ImageEvaluator(std::shared_ptr<const ImageDataset> dataset,
                               std::shared_ptr<const TrainerOptions> options, const SearchSpace& space)
    : dataset_(std::move(dataset)), options_(std::move(options)), space_(space) {}

const TaskShape& ImageEvaluator::task() const { return dataset_->shape; }

Evaluation ImageEvaluator::evaluate(const TrialRequest& request) const {
  const Architecture& arch = request.arch;
  const ModelSummary summary = space_.describe(arch, dataset_->shape);
  if (options_->max_params > 0 && summary.params > options_->max_params)
    throw TrialFailure("has " + std::to_string(summary.params) + " parameters, over " + options_->max_params_key +
                       " = " + std::to_string(options_->max_params));
  try {
    const std::shared_ptr<Network> net = build_seeded(space_, arch, dataset_->shape, request.seed);
    Evaluation evaluation;
    evaluation.metrics = train_and_validate(*net, *dataset_, *options_, request.seed);
    evaluation.metrics.params = parameter_count(*net);
    evaluation.metrics.madds = summary.madds;
    if (!request.weights_file.empty()) save_network_weights(*net, request.weights_file);
    return evaluation;
  } catch (const c10::Error& e) {
    throw TrialFailure::from_library_message(e.what_without_backtrace());
  }
}

ModelExportResult ImageEvaluator::export_model(const ModelExportRequest& request) const {
  // Retrains with this evaluator's own training (request.retraining is for evaluators without one).
  return export_image_network(standalone_network(space_, *dataset_, *options_, request), *dataset_, *options_,
                              request.out);
}

std::unique_ptr<ImageEvaluator> make_image_evaluator(const ConfigNode& dataset_section,
                                                     const ConfigNode& evaluator_section, const SearchSpace& space,
                                                     std::uint64_t seed) {
  // Options first: a typo in the evaluator section should not wait for the dataset to load.
  auto options = std::make_shared<const TrainerOptions>(read_trainer_options(evaluator_section));
  auto dataset = load_dataset(dataset_section, seed);
  return std::make_unique<ImageEvaluator>(std::move(dataset), std::move(options), space);
}

}  // namespace nas
