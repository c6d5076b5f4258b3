#include "controllers/rl/recorded_sequence.hpp"

#include "core/error.hpp"

namespace nas::rl {

double total_log_prob(const RecordedSequence& sequence) {
  double sum = 0;
  for (const auto& decision : sequence) sum += decision.log_prob;
  return sum;
}

Json sequence_to_json(const RecordedSequence& sequence) {
  Json decisions = Json::array();
  for (const auto& decision : sequence) {
    std::string offered(decision.offered.size(), '0');
    for (std::size_t o = 0; o < offered.size(); ++o)
      if (decision.offered[o]) offered[o] = '1';
    decisions.push_back(Json::array({decision.kind, decision.choice, offered, decision.log_prob}));
  }
  return decisions;
}

RecordedSequence sequence_from_json(const Json& json) {
  RecordedSequence sequence;
  for (const auto& entry : json) {
    if (!entry.is_array() || entry.size() != 4)
      throw Error("controller state",
                  "a recorded decision must be [kind, choice, offered, log_prob], got " + entry.dump());
    RecordedDecision decision;
    decision.kind = entry[0].get<std::size_t>();
    decision.choice = entry[1].get<std::size_t>();
    for (char flag : entry[2].get<std::string>()) decision.offered.push_back(flag == '1');
    decision.log_prob = entry[3].get<double>();
    sequence.push_back(std::move(decision));
  }
  return sequence;
}

}  // namespace nas::rl
