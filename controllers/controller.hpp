#pragma once
// Ask/tell interface of every search strategy. A controller's whole state is JSON, checkpointed in
// the search log after each result, so that a resumed search continues exactly.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "core/json.hpp"
#include "core/registry.hpp"
#include "core/trial.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

// An architecture the space ships under a name (`nas space describe SPACE` lists them) that a
// controller starts its search from.
struct SeedArchitecture {
  std::string name;
  Architecture arch;
};

// The architectures named by `options.seeds` (a list of names the space ships), in order; an
// unknown name is an error that names the key and lists the space's names.
std::vector<SeedArchitecture> read_seed_architectures(const ConfigNode& options, const SearchSpace& space);

class Controller {
 public:
  virtual ~Controller() = default;
  // The next architecture to evaluate. May be called again before earlier proposals are observed
  // (several workers); a controller that needs results first proposes from what it has.
  virtual Architecture propose() = 0;
  // The outcome of a proposed architecture; failed trials arrive too (status failed).
  virtual void observe(const Trial& trial) = 0;
  virtual Json state() const = 0;
  virtual void restore(const Json& state) = 0;
  // The named architectures the search starts from (evolution's `seeds`), so that the run can say
  // whether it found something better than its starting point; empty when it starts from nothing.
  virtual std::vector<SeedArchitecture> seeds() const { return {}; }
  // Whether this proposal of an architecture the run has already trained must be trained again,
  // from its own trial seed, instead of taking the earlier result (the conservative explorer's
  // confirmations). Asked when the proposal is dispatched, and again for one a resumed run requeues.
  virtual bool trains_again(const Architecture& /*arch*/) const { return false; }
};

using ControllerFactory =
    std::function<std::unique_ptr<Controller>(const ConfigNode& options, const SearchSpace& space, std::uint64_t seed)>;
Registry<ControllerFactory>& controller_registry();

// Reads `section.name`, finds the controller and lets it read (and check) the rest of the section.
std::unique_ptr<Controller> make_controller(const ConfigNode& section, const SearchSpace& space, std::uint64_t seed);

}  // namespace nas
