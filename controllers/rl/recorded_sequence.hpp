#pragma once
// What the rl controller keeps of one sampled architecture: per decision, the head it went to, what
// was chosen, which options were offered, and the log-probability it had when sampled. Enough to
// replay it through the network (with gradients) for an update, and small enough to checkpoint.
#include <cstdint>
#include <vector>

#include "core/json.hpp"

namespace nas::rl {

struct RecordedDecision {
  std::size_t kind = 0;
  std::size_t choice = 0;             // index among the kind's options
  std::vector<std::uint8_t> offered;  // per option of the kind: 1 where the decision offered it
  double log_prob = 0;                // of `choice`, when it was sampled
};

using RecordedSequence = std::vector<RecordedDecision>;

double total_log_prob(const RecordedSequence& sequence);

// [[kind, choice, "0110", log_prob], ...]; doubles round-trip exactly through JSON text.
Json sequence_to_json(const RecordedSequence& sequence);
RecordedSequence sequence_from_json(const Json& json);

}  // namespace nas::rl
