// `nas export DIR --out model.pt`: the best (or a chosen) trial as TorchScript, with model.json beside it.
#include <iomanip>
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "experiments/post/model_export.hpp"

namespace nas {
namespace {

int export_command(const std::vector<std::string>& raw) {
  const Arguments args(raw,
                       {{"--out", true, "TorchScript file to write (model.json goes beside it)"},
                        {"--trial", true, "trial id (default: the best mean validation accuracy of nas reevaluate, or the best retrained from scratch by the retrain phase, else the best validation accuracy)"},
                        {"--retrain-epochs", true, "retrain from scratch on training + validation data"}},
                       "export");
  ExportOptions options;
  options.run_dir = args.single_positional("run DIR");
  options.out = args.value("--out");
  if (args.has("--trial")) options.trial = args.integer("--trial", 0, 0);
  options.retrain_epochs = static_cast<int>(args.integer("--retrain-epochs", 0, 0));
  const ExportOutcome outcome = export_model(options);

  const Json& metrics = outcome.description["metrics"];
  std::cout << "exported trial " << outcome.trial_id << " to " << outcome.model_file << " (description "
            << outcome.description_file << "), chosen by "
            << outcome.description["chosen_by"].get<std::string>() << "\n"
            << std::fixed << std::setprecision(4) << "test_accuracy " << metrics["test_accuracy"].get<double>()
            << "  test_loss " << metrics["test_loss"].get<double>() << "  on " << outcome.tested_on << "; weights: "
            << outcome.description["weights"]["source"].get<std::string>() << "\n";
  if (!outcome.recorded)
    std::cout << "not recorded in the run's log: it is of an older format, which nas export reads as it is; `nas "
                 "resume` or `nas reevaluate` upgrade it\n";
  return 0;
}

const bool registered = command_registry().add(
    "export", Command{"nas export DIR --out model.pt [--trial ID] [--retrain-epochs N]",
                      "write a trial's trained model as TorchScript (the evaluator's inputs in, logits out) and "
                      "model.json; records its test accuracy",
                      export_command});

}  // namespace
}  // namespace nas
