#pragma once
// A trained supernet as a run's shared weights (run-long state). The supernet phase trains it before
// the search (PretrainedWeights), checkpointing after each epoch the records "weights" (every tensor:
// parameters then buffers), "optimizer" (the optimizer's state) and "progress" (epochs done); the
// search's `inherited` evaluator scores each sub-network with the weights it inherits from the
// snapshot its request carries. Trials offer nothing back: the search does not change the supernet.
// No torch here.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "evaluators/evaluation/pretrained_weights.hpp"
#include "evaluators/evaluation/shared_weights.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

struct ImageDataset;
struct SupernetOptions;
class Network;
struct SupernetState;  // the module, its optimizer and progress (supernet_weights.cpp)

class SupernetWeights : public SharedWeights, public PretrainedWeights {
 public:
  static constexpr const char* kKind = "supernet";

  // Builds the space's supernet for the dataset's task, initialised from torch's generator seeded with
  // a seed derived from `seed` (the experiment's), so every run of the experiment starts alike.
  SupernetWeights(const SearchSpace& space, std::shared_ptr<const ImageDataset> data,
                  std::shared_ptr<const SupernetOptions> options, std::uint64_t seed);
  ~SupernetWeights() override;

  std::string kind() const override { return kKind; }
  std::shared_ptr<const SharedWeightsView> view() const override;
  std::vector<StateRecord> absorb(const std::vector<StateRecord>& offer) override;
  void restore(const std::vector<StateRecord>& records) override;
  PretrainedWeights* pretraining() override { return this; }

  int epochs_planned() const override;
  int epochs_done() const override;
  PretrainingEpoch train_epoch(DataParallel& team) override;
  std::vector<StateRecord> state() const override { return records(); }

 private:
  std::vector<StateRecord> records() const;

  const SearchSpace& space_;
  std::shared_ptr<const ImageDataset> data_;
  std::shared_ptr<const SupernetOptions> options_;
  std::uint64_t seed_;
  std::unique_ptr<SupernetState> state_;
  mutable std::shared_ptr<const SharedWeightsView> view_;  // cached until the weights change
};

// The stand-alone network of `arch` with the weights it inherits from the supernet in `view` (of kind
// SupernetWeights::kKind). Throws nas::Error for a view of another kind.
std::shared_ptr<Network> inherit_from_supernet(const SharedWeightsView& view, const Architecture& arch);

}  // namespace nas
