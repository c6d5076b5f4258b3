#pragma once
// One stored entry of a run's shared weights (run-long state: Auto-GNN's shared layers, a supernet's
// weights): a key and opaque bytes that only the state's own code decodes. The search log stores
// them; checkpoints write the records that changed, so a large state is not rewritten per trial.
#include <string>
#include <vector>

namespace nas {

struct StateRecord {
  std::string key;
  std::string bytes;
};

// The records of one owner (the shared weights' kind, e.g. "autognn_layers") that changed since the
// last checkpoint.
struct StateChanges {
  std::string owner;
  std::vector<StateRecord> records;
};

}  // namespace nas
