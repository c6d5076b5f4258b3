#pragma once
// The interface every search space implements, and the registry that finds a space by name.
// No torch headers here: building a network returns a handle to nas::Network, declared in ops/.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/architecture.hpp"
#include "core/config_node.hpp"
#include "core/error.hpp"
#include "core/policy.hpp"
#include "core/registry.hpp"
#include "search_spaces/model_summary.hpp"
#include "search_spaces/task.hpp"

namespace nas {

class Network;
class Supernet;

class SearchSpace {
 public:
  virtual ~SearchSpace() = default;
  virtual std::string name() const = 0;

  // Walks the space's decisions, asking `policy` for each one.
  virtual Architecture sample(Policy& policy) const = 0;
  // Re-draws one decision (uniformly chosen among those with more than one option).
  virtual Architecture mutate(const Architecture& parent, Rng& rng) const;
  // Rebuilds an architecture from its recorded choices (the search log's form).
  virtual Architecture replay(const std::vector<Choice>& choices) const;
  // Rebuilds an architecture from the space's own genotype form (a genotype file, a named architecture).
  virtual Architecture from_genotype(const Json& genotype) const = 0;

  // The kinds of the decisions sample() asks (see Decision::kind), for policies that learn per kind
  // (the RL controller). The default says the space declares none, which such policies refuse.
  virtual std::vector<DecisionKind> decision_kinds() const { return {}; }

  // Architectures from the literature shipped with the space, e.g. "nasnet-a".
  virtual std::vector<std::string> named_architectures() const { return {}; }
  virtual Architecture named(const std::string& name) const;

  virtual ModelSummary describe(const Architecture& arch, const TaskShape& task) const = 0;
  virtual std::shared_ptr<Network> build(const Architecture& arch, const TaskShape& task) const = 0;

  // Weight sharing (ops/supernet.hpp): the supernet of this space for `task`, freshly initialised,
  // seeded by the caller (torch::manual_seed); null for spaces that offer none (the default).
  virtual std::shared_ptr<Supernet> build_supernet(const TaskShape& task) const {
    (void)task;
    return nullptr;
  }
  virtual bool offers_supernet() const { return false; }

  // Whether `arch` meets the run's constraints (`constraints:`, e.g. madds_max). A space wrapped in
  // them (search_spaces/constrained_space.hpp) samples and mutates only architectures it admits; a
  // controller that makes architectures otherwise (crossover) asks here. A bare space admits all.
  virtual bool admits(const Architecture& arch) const {
    (void)arch;
    return true;
  }

 protected:
  // mutate()'s draw: one decision re-drawn, up to `attempts` times until one changes; with
  // `new_network`, until the child builds another network (its canonical form differs), for spaces in
  // which some changes build the same one (a skipped block's width).
  Architecture mutate_one_decision(const Architecture& parent, Rng& rng, int attempts, bool new_network) const;
};

// `task` is the shape of the data the space will be searched on, where known (the dataset's, or the
// command line's); a space whose decisions depend on it (einspace) needs it, the others ignore it.
using SearchSpaceFactory =
    std::function<std::unique_ptr<SearchSpace>(const ConfigNode& options, const TaskShape* task)>;
Registry<SearchSpaceFactory>& search_space_registry();

// Reads `section.name`, finds the space and lets it read (and check) the rest of the section.
std::unique_ptr<SearchSpace> make_search_space(const ConfigNode& section, const TaskShape* task = nullptr);

// An architecture recorded as JSON elsewhere (Architecture::to_json: a search log, a trial request)
// rebuilt by `space` from its choices, which must give back the architecture of hash `hash`. Throws
// nas::Error naming `where` for choices the space no longer accepts and for choices it rebuilds into
// another architecture (a space whose code changed since they were recorded). Inline: readers of logs
// and requests use it without linking the spaces' code.
inline Architecture replay_recorded(const SearchSpace& space, const Json& arch, const std::string& hash,
                                    const std::string& where) {
  Architecture rebuilt;
  try {
    rebuilt = space.replay(Architecture::choices_from_json(arch));
  } catch (const Error& e) {
    throw Error(where, std::string("cannot rebuild the architecture: ") + e.what());
  }
  if (rebuilt.hash() != hash)
    throw Error(where, "the space rebuilds these choices into a different architecture (hash " + rebuilt.hash() +
                           ", recorded " + hash + ")");
  return rebuilt;
}

}  // namespace nas
