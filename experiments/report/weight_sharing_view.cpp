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
    if (phase.name == "retrain" && phase.state.contains("retrained") && phase.state.at("retrained").is_array()) {
      for (const Json& entry : phase.state.at("retrained"))
        if (numbers(entry, {"trial", "inherited_val_accuracy"}) && entry.contains("status"))
          view.retrained.push_back(entry);
      const Json& tau = phase.state.value("kendall_tau", Json());
      if (tau.is_number()) view.kendall_tau = tau.get<double>();
    }
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
  if (!view.retrained.empty()) {
    if (!text.empty()) text += "\n";
    text += "Retrained from scratch (inherited: scored with the supernet's weights):\n";
    text += "    trial  inherited  stand-alone\n";
    for (const Json& entry : view.retrained) {
      text += printf_string("  %7lld  %9.4f  ", static_cast<long long>(entry.at("trial").get<std::int64_t>()),
                            entry.at("inherited_val_accuracy").get<double>());
      text += entry.at("status") == "done" && numbers(entry, {"val_accuracy"})
                  ? printf_string("%11.4f\n", entry.at("val_accuracy").get<double>())
                  : std::string("     failed\n");
    }
    text += "Kendall tau (inherited vs stand-alone ranking): " +
            (view.kendall_tau ? printf_string("%.3f", *view.kendall_tau)
                              : std::string("undefined (fewer than two retrained, or all equal)")) +
            "\n";
  }
  return text;
}

}  // namespace nas
