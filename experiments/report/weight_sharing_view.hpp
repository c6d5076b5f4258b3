#pragma once
// What a weight-sharing run's phases recorded, as `nas inspect` and the HTML report show it: the
// supernet's training curve (the `supernet` phase's state) and, for the sub-networks retrained from
// scratch (the `retrain` phase's state), their inherited against stand-alone validation accuracy with
// the Kendall tau between the two rankings.
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "experiments/log/retrain_record.hpp"
#include "experiments/log/search_log.hpp"

namespace nas {

struct WeightSharingView {
  Json curve = Json::array();      // per epoch: {"epoch", "train_loss", "train_accuracy", "seconds", ...}
  RetrainedTrials retrained;       // the retrain phase's record
  bool empty() const { return curve.empty() && retrained.trials.empty(); }
};

// Reads the phases' states; entries of an unexpected shape (a log edited by hand) are left out.
WeightSharingView weight_sharing_view(const std::vector<PhaseRow>& phases);

// The curve and the retrained table as text; empty for a run without either.
std::string weight_sharing_text(const WeightSharingView& view);

}  // namespace nas
