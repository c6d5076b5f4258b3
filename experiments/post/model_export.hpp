#pragma once
// `nas export`: a trial of a finished (or stopped) run as a TorchScript file plus model.json beside it,
// with the test accuracy measured once and recorded in the run's log.
#include <cstdint>
#include <optional>
#include <string>

#include "core/json.hpp"

namespace nas {

struct ExportOptions {
  std::string run_dir;
  // Default: the best mean of `nas reevaluate`; of a weight-sharing run with a done retrain phase, the
  // best it retrained from scratch; else the best validation accuracy.
  std::optional<std::int64_t> trial;
  std::string out;                    // the TorchScript file; model.json goes beside it (same stem)
  int retrain_epochs = 0;             // 0: the weights kept from the search trial
};

struct ExportOutcome {
  std::int64_t trial_id = 0;
  std::string model_file;
  std::string description_file;  // the .json beside the model
  Json description;              // its content
  std::string tested_on;         // what the test accuracy was measured on, e.g. "10000 test images"
  bool recorded = true;          // false: the log is of an older format, which an export does not upgrade
};

// Refuses (nas::Error naming what and where) a run another process writes, a trial that is not
// done, and a trial whose weights were not kept unless retraining is asked for (a weight-sharing run's
// sub-networks always have the weights they inherit from its supernet). A refused or failed export
// leaves no file behind.
ExportOutcome export_model(const ExportOptions& options);

// model.pt -> model.json; a name without an extension gets ".json" appended.
std::string description_path(const std::string& model_file);

}  // namespace nas
