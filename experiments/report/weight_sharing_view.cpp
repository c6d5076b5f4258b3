#include "experiments/report/weight_sharing_view.hpp"

#include "experiments/report/text_format.hpp"

namespace nas {
namespace {

bool numbers(const Json& entry, std::initializer_list<const char*> keys) {
  if (!entry.is_object()) return false;
  for (const char* key : keys)
    if (!entry.contains(key) || !entry.at(key).is_number()) return false;
  return true;
}

}  // namespace

WeightSharingView weight_sharing_view(const std::vector<PhaseRow>& phases) {
  WeightSharingView view;
  for (const PhaseRow& phase : phases) {
    if (!phase.state.is_object()) continue;
    if (phase.name == "supernet" && phase.state.contains("curve") && phase.state.at("curve").is_array())
      for (const Json& point : phase.state.at("curve"))
        if (numbers(point, {"epoch", "train_loss", "train_accuracy", "seconds"})) view.curve.push_back(point);
    if (phase.name == kRetrainPhase) view.retrained = retrained_trials_from_state(phase.state);
  }
  return view;
}

std::string weight_sharing_text(const WeightSharingView& view) {
  std::string text;
  if (!view.curve.empty()) {
    text += "Supernet training (" + std::to_string(view.curve.size()) + " epochs):\n";
    text += "  epoch  train_loss  train_acc  seconds\n";
    for (const Json& point : view.curve)
      text += printf_string("  %5lld  %10.4f  %9.4f  %7.1f\n", static_cast<long long>(point.at("epoch").get<std::int64_t>()),
                            point.at("train_loss").get<double>(), point.at("train_accuracy").get<double>(),
                            point.at("seconds").get<double>());
  }
  const std::string retrained = retrained_trials_text(view.retrained);
  if (!retrained.empty()) text += (text.empty() ? "" : "\n") + retrained;
  return text;
}

}  // namespace nas
