#pragma once
// Trains and validates one architecture. No torch here: the run loop and the pool see only this.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "core/json.hpp"
#include "core/trial.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

// A candidate that cannot be evaluated (NaN loss, over the size cap, over its time, a shape error):
// it fails its trial, never the search. The message is the reason recorded in the log.
class TrialFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  // From a library's error text (LibTorch's carries a C++ stack after its first line): the log wants
  // only the reason.
  static TrialFailure from_library_message(const std::string& text) {
    return TrialFailure(text.substr(0, text.find('\n')));
  }
};

// What `nas export` asks of an evaluator that trains: the network of `arch` with the weights kept
// from its trial, or retrained from scratch, measured once on the test set, written as TorchScript.
struct ModelExportRequest {
  Architecture arch;
  std::uint64_t seed = 0;    // the trial's seed: initial weights (and batch order) when retraining
  std::string weights_file;  // the kept weights; used when retrain_epochs is 0
  int retrain_epochs = 0;    // > 0: train from scratch for this many epochs on training + validation data
  std::string out;           // the TorchScript file to write
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

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // Thread-safe: the pool calls it from several workers at once. Throws TrialFailure (or anything
  // else, also recorded as the trial's failure) when the trial fails. When `weights_file` is not
  // empty, an evaluator that trains saves the trained weights there (for `nas export`).
  virtual TrialMetrics evaluate(const Architecture& arch, std::uint64_t seed,
                                const std::string& weights_file = "") const = 0;

  // Whether export_model() can write this evaluator's trained models (`nas export`).
  virtual bool exports_models() const { return false; }
  // Writes request.out; throws nas::Error naming what failed. Evaluators that train nothing they
  // could export keep this default, which refuses.
  virtual ModelExportResult export_model(const ModelExportRequest& request) const;
};

}  // namespace nas
