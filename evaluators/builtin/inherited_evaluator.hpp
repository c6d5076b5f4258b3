#pragma once
// The `inherited` evaluator of one-shot search: scores a sub-network with the weights it inherits from
// the run's trained supernet (SupernetWeights), on the dataset's validation split, without training.
// Its supernet is trained by the `supernet` phase before the search, as the `supernet:` section says.
//
// `evaluator:` keys: name: inherited; eval_batch_size (500); device (cpu). The section's pool keys
// (workers, threads_per_worker, keep_weights) are the runner's as for any evaluator.
// No torch here.
#include <cstdint>
#include <memory>

#include "evaluators/evaluation/evaluator.hpp"
#include "evaluators/evaluation/evaluator_registry.hpp"

namespace nas {

struct ImageDataset;
struct SupernetOptions;
struct TrainerOptions;

class InheritedEvaluator : public Evaluator {
 public:
  InheritedEvaluator(std::shared_ptr<const ImageDataset> dataset, std::shared_ptr<const TrainerOptions> scoring,
                     std::shared_ptr<const SupernetOptions> supernet, const SearchSpace& space, std::uint64_t seed);

  // Extracts the request's sub-network from the supernet snapshot it carries and validates it. A
  // request without one (a re-evaluation, which retrains stand-alone networks) fails its trial.
  Evaluation evaluate(const TrialRequest& request) const override;
  // The run's supernet, untrained: the supernet phase trains it.
  std::unique_ptr<SharedWeights> make_shared_weights() const override;
  bool pretrains_shared_weights() const override { return true; }

  // `nas export`, as the `train` evaluator exports (image_model_export.hpp): the sub-network with the
  // weights it inherits from request.shared_weights; or, as a stand-alone network, with the weights
  // of request.weights_file (those the retrain phase kept), or retrained from scratch for
  // request.retrain_epochs with the training of request.retraining. Scored with this section's
  // eval_batch_size and device.
  bool exports_models() const override { return true; }
  ModelExportResult export_model(const ModelExportRequest& request) const override;

 private:
  std::shared_ptr<const ImageDataset> dataset_;
  std::shared_ptr<const TrainerOptions> scoring_;
  std::shared_ptr<const SupernetOptions> supernet_;
  const SearchSpace& space_;
  std::uint64_t seed_;
};

}  // namespace nas
