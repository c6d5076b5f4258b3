#include "evaluators/builtin/inherited_evaluator.hpp"

#include <chrono>

#include "core/error.hpp"
#include "evaluators/builtin/image_model_export.hpp"
#include "evaluators/builtin/supernet_weights.hpp"
#include "evaluators/datasets/dataset_registry.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/training/supernet_options.hpp"
#include "evaluators/training/trainer.hpp"
#include "evaluators/training/trainer_options.hpp"
#include "ops/network.hpp"

namespace nas {
namespace {

std::unique_ptr<Evaluator> make_inherited_evaluator(const EvaluatorSections& sections, const SearchSpace& space,
                                                    std::uint64_t seed) {
  if (!space.offers_supernet())
    throw sections.evaluator.error("name", "the inherited evaluator scores sub-networks of a supernet, and space '" +
                                               space.name() + "' offers none; spaces with a supernet: vit_resnas, nb201");
  // Options first: a typo should not wait for the dataset to load.
  auto supernet = std::make_shared<const SupernetOptions>(read_supernet_options(sections.supernet));
  TrainerOptions scoring;
  scoring.eval_batch_size = sections.evaluator.integer("eval_batch_size", scoring.eval_batch_size, 1, 1 << 20);
  scoring.device = read_device(sections.evaluator);
  auto dataset = load_dataset(sections.dataset, seed);
  return std::make_unique<InheritedEvaluator>(std::move(dataset), std::make_shared<const TrainerOptions>(scoring),
                                              std::move(supernet), space, seed);
}

const bool registered = evaluator_registry().add("inherited", make_inherited_evaluator);

}  // namespace

InheritedEvaluator::InheritedEvaluator(std::shared_ptr<const ImageDataset> dataset,
                                       std::shared_ptr<const TrainerOptions> scoring,
                                       std::shared_ptr<const SupernetOptions> supernet, const SearchSpace& space,
                                       std::uint64_t seed)
    : dataset_(std::move(dataset)), scoring_(std::move(scoring)), supernet_(std::move(supernet)), space_(space),
      seed_(seed) {}

Evaluation InheritedEvaluator::evaluate(const TrialRequest& request) const {
  if (!request.shared_weights)
    throw TrialFailure("the inherited evaluator scores a sub-network with a trained supernet's weights, and this "
                       "request carries none (re-evaluations and exports train stand-alone networks instead)");
  const auto start = std::chrono::steady_clock::now();
  const ModelSummary summary = space_.describe(request.arch, dataset_->shape);
  try {
    const std::shared_ptr<Network> net = inherit_from_supernet(*request.shared_weights, request.arch);
    const TrialClock clock(0, "");
    const EvaluationResult validation = evaluate_network(*net, dataset_->val_images, dataset_->val_labels,
                                                         dataset_->mean, dataset_->std, *scoring_, clock);
    Evaluation evaluation;
    evaluation.metrics.val_accuracy = validation.accuracy;
    evaluation.metrics.val_loss = validation.loss;
    evaluation.metrics.params = parameter_count(*net);
    evaluation.metrics.madds = summary.madds;
    // Seconds spent scoring: what a budget.train_seconds limit counts for this evaluator.
    evaluation.metrics.train_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return evaluation;
  } catch (const c10::Error& e) {
    throw TrialFailure::from_library_message(e.what_without_backtrace());
  }
}

std::unique_ptr<SharedWeights> InheritedEvaluator::make_shared_weights() const {
  return std::make_unique<SupernetWeights>(space_, dataset_, supernet_, seed_);
}

ModelExportResult InheritedEvaluator::export_model(const ModelExportRequest& request) const {
  ExportedNetwork exported;
  if (request.retrain_epochs > 0 || !request.weights_file.empty()) {
    // This section holds no training of its own: a retraining trains as the request says (the run's
    // retrain: section), on this evaluator's device when that says none; loading weights trains nothing.
    TrainerOptions training = *scoring_;
    if (request.retrain_epochs > 0) {
      const ConfigNode section = ConfigNode::parse(request.retraining.dump(2), "the run's retrain: section");
      training = read_trainer_options(section);
      if (!section.has("device")) training.device = scoring_->device;
    }
    exported = standalone_network(space_, *dataset_, training, request);
  } else {
    if (!request.shared_weights)
      throw Error(request.out, "the sub-network of a weight-sharing run exports with the weights it inherits from "
                               "the run's supernet, and none was given");
    exported.net = inherit_from_supernet(*request.shared_weights, request.arch);
    exported.train_images = dataset_->train_images.size(0);  // what the supernet trained on
  }
  return export_image_network(exported, *dataset_, *scoring_, request.out);
}

}  // namespace nas
