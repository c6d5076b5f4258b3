#pragma once
// Trains and validates one architecture. No torch here: the run loop and the runners see only this.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/state_record.hpp"
#include "core/trial.hpp"
#include "evaluators/evaluation/shared_weights.hpp"
#include "evaluators/evaluation/trial_failure.hpp"
#include "evaluators/evaluation/trial_request.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

// What `nas export` asks of an evaluator that trains: the network of `arch` with the weights kept
// from its trial, or retrained from scratch, measured once on the test set, written as TorchScript.
// Of a weight-sharing run, with the weights the network inherits from the run's supernet instead.
struct ModelExportRequest {
  Architecture arch;
  std::uint64_t seed = 0;    // the trial's seed: initial weights (and batch order) when retraining
  std::string weights_file;  // the kept weights; used when retrain_epochs is 0
  int retrain_epochs = 0;    // > 0: train from scratch for this many epochs on training + validation data
  std::string out;           // the TorchScript file to write
  // The run's shared weights, restored from its log, when they are a supernet
  // (Evaluator::pretrains_shared_weights) and no weights file is named: the network takes the weights
  // it inherits from it. Null otherwise.
  std::shared_ptr<const SharedWeightsView> shared_weights;
  // The keys of a retraining, as an `evaluator:` section of the `train` evaluator, for an evaluator
  // whose own section has none (a weight-sharing run's `retrain:` section; empty: the train evaluator's
  // defaults). Evaluators that train retrain as their own section says and ignore it.
  Json retraining = Json::object();
};

struct ModelExportResult {
  double test_accuracy = 0;
  double test_loss = 0;
  std::int64_t params = 0;
  double train_seconds = 0;  // of the retraining; 0 for kept weights
  std::string tested_on;     // what the test figures were measured on, e.g. "10000 test images"
  // What model.json says that depends on the kind of model: what goes in and comes out, the classes
  // by logit index, and the figures of the data the weights were trained and tested on.
  Json input = Json::object();
  std::string output;
  std::vector<std::string> classes;
  Json weights = Json::object();  // e.g. {"train_images": 1280}
  Json metrics = Json::object();  // e.g. {"test_images": 10000}
};

// What one evaluation produced.
struct Evaluation {
  TrialMetrics metrics;
  // Records offered to the run's shared weights (SharedWeights::absorb); empty when the request
  // carried none.
  std::vector<StateRecord> offer;
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // Thread-safe: a runner calls it from several workers at once. Throws TrialFailure (or anything
  // else, also recorded as the trial's failure) when the trial fails. When request.weights_file is
  // not empty, an evaluator that trains saves the trained weights there (for `nas export`). It reads
  // the shared weights only through request.shared_weights and changes nothing of its own: a
  // trial's figures depend on its request alone.
  virtual Evaluation evaluate(const TrialRequest& request) const = 0;

  // The weights this evaluator's trials share across a run (Auto-GNN's parameter sharing), empty,
  // for the run to own; null when its trials share none (the default).
  virtual std::unique_ptr<SharedWeights> make_shared_weights() const { return nullptr; }
  // Whether those shared weights are trained in a phase of their own before the search (a supernet:
  // SharedWeights::pretraining()), so that the run has a `supernet` phase.
  virtual bool pretrains_shared_weights() const { return false; }

  // Whether export_model() can write this evaluator's trained models (`nas export`).
  virtual bool exports_models() const { return false; }
  // Writes request.out; throws nas::Error naming what failed. Evaluators that train nothing they
  // could export keep this default, which refuses.
  virtual ModelExportResult export_model(const ModelExportRequest& request) const;
};

}  // namespace nas
