// Generational evolution, the evolutionary search of SPOS (Guo et al. 2019) and ViT-ResNAS (Liao et
// al. 2021; reference spaces.md 4.6): generation 0 is `population` architectures (the seeds, then
// samples at random); every later generation is `mutants` per-gene mutations and `crossovers`
// uniform crossovers of the top-`parents` architectures among everything observed so far.
//
// Keys (controller.*), with their defaults:
//   population     50    size of generation 0: the `seeds` in order, then architectures at random.
//   parents        10    the top-k by val_accuracy of every trial observed so far (an architecture
//                        counts once; failed trials never qualify). At most `population`.
//   mutants        25    children per later generation: a parent drawn uniformly, each of its genes
//                        (decisions) re-drawn with probability mutation_prob (gene_mutation_policy.hpp).
//   crossovers     25    children per later generation: two distinct parents, each gene taken from
//                        the second with probability crossover_prob (crossover_policy.hpp). Needs
//                        parents >= 2. mutants + crossovers must be at least 1.
//   mutation_prob  0.1   in (0, 1]: SPOS's 0.1; ViT-ResNAS uses 0.3.
//   crossover_prob 0.5   in (0, 1).
//   seeds          []    architectures the space ships (nas space describe SPACE lists them), at
//                        most `population`; each must meet the run's constraints.
// ViT-ResNAS Tiny: {population: 500, parents: 75, mutants: 75, crossovers: 75, mutation_prob: 0.3},
// 20 generations; its tiny config (4.8): population 20, parents 5, mutants 5, crossovers 5.
//
// Asynchronous workers: propose() hands out the current generation's members in order; once all are
// handed out, the next generation is built at once from the trials observed by then (at random when
// none has succeeded yet). The proposals thus depend only on the seed and the order of the
// propose/observe calls, and the whole state (state()/restore()) makes a resumed search continue
// exactly.
//
// Every member must be new (its hash neither proposed nor observed before) and admitted by the space
// (space.admits: the run's constraints; mutation and crossover make architectures that the
// constrained space's own sampling never checked). A refused, repeated or unchanged candidate is
// re-drawn, up to kDraws times; a mutant or crossover that finds nothing new in that many draws is
// replaced by a random sample, and a random sample that finds nothing new takes a repeat (see
// draw_random). The space the run passes (search_spaces/constrained_space.hpp) itself walks a policy
// again until the result fits; the gene-level policies make a new child on each walk, so that a
// mutant or crossover is resampled until it fits, as ViT-ResNAS does.
#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>
#include <unordered_set>

#include "controllers/controller.hpp"
#include "controllers/crossover_policy.hpp"
#include "controllers/gene_mutation_policy.hpp"

namespace nas {
namespace {

// Draws per member before giving up on one way of making it (see the header comment).
constexpr int kDraws = 1000;

struct Settings {
  std::size_t population;
  std::size_t parents;
  std::size_t mutants;
  std::size_t crossovers;
  double mutation_prob;
  double crossover_prob;
};

struct Member {
  std::int64_t trial_id;
  Architecture arch;
  double fitness;  // val_accuracy; -inf for a failed trial
};

// A member of the current generation not handed out yet, and how it was made: "seed", "random",
// "mutant" or "crossover" (the state shows it).
struct Candidate {
  Architecture arch;
  std::string origin;
};

class GenerationalEvolution : public Controller {
 public:
  GenerationalEvolution(const SearchSpace& space, std::uint64_t seed, Settings settings,
                        std::vector<SeedArchitecture> seeds)
      : space_(space), rng_(seed), settings_(settings), seeds_(std::move(seeds)) {}

  Architecture propose() override {
    if (pending_.empty()) build_next_generation();
    Architecture next = std::move(pending_.front().arch);
    pending_.pop_front();
    ++proposed_;
    return next;
  }

  void observe(const Trial& trial) override {
    const bool succeeded = trial.status == TrialStatus::done && std::isfinite(trial.metrics.val_accuracy);
    observed_.push_back(Member{trial.id, trial.arch, succeeded ? trial.metrics.val_accuracy
                                                               : -std::numeric_limits<double>::infinity()});
    remember(trial.arch.hash());
  }

  std::vector<SeedArchitecture> seeds() const override { return seeds_; }

  Json state() const override {
    Json observed = Json::array();
    for (const auto& m : observed_)
      observed.push_back(Json{{"trial", m.trial_id}, {"hash", m.arch.hash()}, {"arch", m.arch.to_json()},
                              {"fitness", encode(m.fitness)}});
    Json pending = Json::array();
    for (const auto& c : pending_)
      pending.push_back(Json{{"origin", c.origin}, {"hash", c.arch.hash()}, {"arch", c.arch.to_json()}});
    return Json{{"rng", rng_.state()},         {"generation", generation_}, {"proposed", proposed_},
                {"parents", parent_hashes_}, {"pending", pending},        {"observed", observed},
                {"history", history_}};
  }

  void restore(const Json& state) override {
    rng_.restore(state.at("rng").get<std::string>());
    generation_ = state.at("generation").get<std::int64_t>();
    proposed_ = state.at("proposed").get<std::size_t>();
    parent_hashes_ = state.at("parents").get<std::vector<std::string>>();
    pending_.clear();
    for (const auto& c : state.at("pending"))
      pending_.push_back(Candidate{rebuild(c), c.at("origin").get<std::string>()});
    observed_.clear();
    for (const auto& m : state.at("observed"))
      observed_.push_back(Member{m.at("trial").get<std::int64_t>(), rebuild(m), decode(m.at("fitness"))});
    history_.clear();
    seen_.clear();
    for (const auto& hash : state.at("history")) remember(hash.get<std::string>());
  }

 private:
  void build_next_generation() {
    ++generation_;
    std::vector<Candidate> members;
    if (generation_ == 0) {
      for (const auto& seed : seeds_)
        if (!seen(seed.arch.hash())) members.push_back(add(Candidate{seed.arch, "seed"}));
      while (members.size() < settings_.population) members.push_back(add(Candidate{draw_random(), "random"}));
    } else {
      select_parents();
      const std::size_t size = settings_.mutants + settings_.crossovers;
      for (std::size_t i = 0; i < size; ++i) {
        // Nothing has succeeded yet (all of generation 0 still training, or failed): at random.
        if (parents_.empty()) members.push_back(add(Candidate{draw_random(), "random"}));
        else members.push_back(add(i < settings_.mutants ? draw_mutant() : draw_crossover()));
      }
    }
    pending_.assign(members.begin(), members.end());
  }

  // The top `parents` distinct architectures by fitness among everything observed; ties go to the one
  // observed first. Failed trials (-inf) never qualify.
  void select_parents() {
    std::vector<const Member*> ranked;
    for (const auto& m : observed_)
      if (std::isfinite(m.fitness)) ranked.push_back(&m);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const Member* a, const Member* b) { return a->fitness > b->fitness; });
    parents_.clear();
    parent_hashes_.clear();
    std::unordered_set<std::string> taken;
    for (const Member* m : ranked) {
      if (parents_.size() == settings_.parents) break;
      if (!taken.insert(m->arch.hash()).second) continue;
      parents_.push_back(m->arch);
      parent_hashes_.push_back(m->arch.hash());
    }
  }

  // A parent drawn uniformly, each gene re-drawn with probability mutation_prob; a child equal to its
  // parent (no gene changed, or only to equivalent options) is mutated again.
  Candidate draw_mutant() {
    for (int draw = 0; draw < kDraws; ++draw) {
      const Architecture& parent = parents_[rng_.index(parents_.size())];
      GeneMutationPolicy policy(parent.choices(), settings_.mutation_prob, rng_);
      const auto made = sample(policy);
      if (!made) break;
      const Architecture& child = *made;
      if (child.hash() == parent.hash()) continue;
      if (!seen(child.hash()) && space_.admits(child)) return Candidate{child, "mutant"};
    }
    // The parents' neighbourhoods hold nothing new that the space admits: explore at random instead.
    return Candidate{draw_random(), "random"};
  }

  // Two distinct parents, each gene from the second with probability crossover_prob. Children that
  // repeat a parent are repeats like any other.
  Candidate draw_crossover() {
    if (parents_.size() < 2) return draw_mutant();  // a single distinct parent so far: mutate it instead
    for (int draw = 0; draw < kDraws; ++draw) {
      const std::size_t first = rng_.index(parents_.size());
      std::size_t second = rng_.index(parents_.size() - 1);
      if (second >= first) ++second;
      CrossoverPolicy policy(parents_[first].choices(), parents_[second].choices(), settings_.crossover_prob, rng_);
      const auto made = sample(policy);
      if (!made) break;
      if (!seen(made->hash()) && space_.admits(*made)) return Candidate{*made, "crossover"};
    }
    return Candidate{draw_random(), "random"};
  }

  // A walk of a gene-level policy through the space; nullopt when the space gave up. A space wrapped
  // in the run's constraints walks the policy again until it admits the result (each walk a new child
  // of the same parents) and throws when none comes: those parents' children do not fit, so the
  // caller samples at random instead (and that error, if the constraints admit nothing at all, stands).
  std::optional<Architecture> sample(Policy& policy) const {
    try {
      return space_.sample(policy);
    } catch (const Error&) {
      return std::nullopt;
    }
  }

  // A sample from the space's prior that it admits and that is new.
  Architecture draw_random() {
    std::optional<Architecture> repeat;
    for (int draw = 0; draw < kDraws; ++draw) {
      RandomPolicy policy(rng_);
      Architecture arch = space_.sample(policy);
      if (!space_.admits(arch)) continue;
      if (!seen(arch.hash())) return arch;
      if (!repeat) repeat = std::move(arch);
    }
    // Nothing new in kDraws samples: the space (under the run's constraints) is as good as exhausted.
    // Propose an architecture already proposed rather than stop the search: the run reuses its result
    // at no cost.
    if (repeat) return *repeat;
    throw Error(space_.name(), "generational_evolution: the space admitted none of " + std::to_string(kDraws) +
                                   " architectures sampled at random; do the run's constraints admit any?");
  }

  Candidate add(Candidate candidate) {
    remember(candidate.arch.hash());
    return candidate;
  }
  bool seen(const std::string& hash) const { return seen_.count(hash) > 0; }
  void remember(const std::string& hash) {
    if (seen_.insert(hash).second) history_.push_back(hash);
  }

  Architecture rebuild(const Json& recorded) const {
    return replay_recorded(space_, recorded.at("arch"), recorded.at("hash").get<std::string>(),
                           "generational_evolution state");
  }
  // JSON has no infinity: a failed trial's fitness is written as null.
  static Json encode(double fitness) { return std::isfinite(fitness) ? Json(fitness) : Json(nullptr); }
  static double decode(const Json& value) {
    return value.is_null() ? -std::numeric_limits<double>::infinity() : value.get<double>();
  }

  const SearchSpace& space_;
  Rng rng_;
  Settings settings_;
  std::vector<SeedArchitecture> seeds_;
  std::int64_t generation_ = -1;  // the generation being handed out; -1 before the first proposal
  std::size_t proposed_ = 0;
  std::vector<Architecture> parents_;       // the current generation's parents (while it is built)
  std::vector<std::string> parent_hashes_;  // ...as the state records them
  std::deque<Candidate> pending_;           // the current generation's members not handed out yet
  std::vector<Member> observed_;            // every trial observed, in order
  std::vector<std::string> history_;        // every hash proposed or observed, in order
  std::unordered_set<std::string> seen_;    // ...as a set
};

const bool registered = controller_registry().add(
    "generational_evolution", [](const ConfigNode& options, const SearchSpace& space, std::uint64_t seed) {
      constexpr std::int64_t most = 1000000;
      Settings settings{};
      settings.population = static_cast<std::size_t>(options.integer("population", 50, 1, most));
      settings.parents = static_cast<std::size_t>(options.integer("parents", 10, 1, most));
      settings.mutants = static_cast<std::size_t>(options.integer("mutants", 25, 0, most));
      settings.crossovers = static_cast<std::size_t>(options.integer("crossovers", 25, 0, most));
      settings.mutation_prob = options.number("mutation_prob", 0.1, 0.0, 1.0);
      settings.crossover_prob = options.number("crossover_prob", 0.5, 0.0, 1.0);
      if (settings.parents > settings.population)
        throw options.error("parents", "must not exceed controller.population (" +
                                           std::to_string(settings.population) + "), got " +
                                           std::to_string(settings.parents));
      if (settings.mutants + settings.crossovers == 0)
        throw options.error("mutants", "controller.mutants and controller.crossovers are both 0: "
                                       "every generation after the first would be empty");
      if (settings.crossovers > 0 && settings.parents < 2)
        throw options.error("parents", "crossovers need at least 2 parents, got " +
                                           std::to_string(settings.parents) + " (or set controller.crossovers: 0)");
      if (!(settings.mutation_prob > 0))
        throw options.error("mutation_prob", "must be greater than 0 (a mutant must be able to change), got 0");
      if (!(settings.crossover_prob > 0 && settings.crossover_prob < 1))
        throw options.error("crossover_prob", "must be between 0 and 1, exclusive (a child of one parent only "
                                              "repeats it), got " + options.yaml()["crossover_prob"].Scalar());
      auto seeds = read_seed_architectures(options, space);
      if (seeds.size() > settings.population)
        throw options.error("seeds", std::to_string(seeds.size()) + " seeds do not fit in controller.population (" +
                                         std::to_string(settings.population) + ")");
      for (const auto& s : seeds)
        if (!space.admits(s.arch))
          throw options.error("seeds", "'" + s.name + "' does not meet the run's constraints");
      return std::make_unique<GenerationalEvolution>(space, seed, settings, std::move(seeds));
    });

}  // namespace
}  // namespace nas
