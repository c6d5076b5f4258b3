#include "experiments/report/phases_view.hpp"

#include "experiments/report/text_format.hpp"

namespace nas {

Json phases_json(const std::vector<PhaseRow>& phases) {
  Json list = Json::array();
  for (const PhaseRow& phase : phases)
    list.push_back(Json{{"name", phase.name},
                        {"status", to_string(phase.status)},
                        {"outcome", phase.outcome.empty() ? Json() : Json(phase.outcome)},
                        {"started_at", phase.started_at ? Json(utc_time_text(*phase.started_at)) : Json()},
                        {"finished_at", phase.finished_at ? Json(utc_time_text(*phase.finished_at)) : Json()},
                        {"state", phase.state}});
  return list;
}

std::string phases_text(const std::vector<PhaseRow>& phases) {
  std::string text;
  for (const PhaseRow& phase : phases) {
    text += (text.empty() ? "" : ", ") + phase.name + " " + to_string(phase.status);
    if (!phase.outcome.empty()) text += " (" + phase.outcome + ")";
  }
  return text.empty() ? "none recorded" : text;
}

}  // namespace nas
