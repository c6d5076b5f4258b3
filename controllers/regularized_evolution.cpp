// Regularized (aging) evolution, Real et al. 2019: a population of P seeded at random; each new
// child is a one-decision mutation of the best of S members drawn from the population; the oldest
// member dies when a child joins. Failed trials join with fitness -inf so that they age out like
// any other member instead of being retried.
#include <deque>
#include <limits>
#include <unordered_map>

#include "controllers/controller.hpp"

namespace nas {
namespace {

struct Member {
  std::int64_t trial_id;
  Architecture arch;
  double fitness;
};

class RegularizedEvolution : public Controller {
 public:
  RegularizedEvolution(const SearchSpace& space, std::uint64_t seed, std::size_t population,
                       std::size_t tournament, std::vector<SeedArchitecture> seeds)
      : space_(space), rng_(seed), population_size_(population), tournament_size_(tournament), seeds_(std::move(seeds)) {}

  Architecture propose() override {
    // Until P proposals have been made, the population is still being seeded: at random, or with the
    // seed architectures in turn (einspace's RE(RN18): P copies of one; RE(Mix): P/4 of each of four;
    // copies of an evaluated architecture cost nothing, the run reuses its result). With several
    // workers some of those may not be observed yet; mutation then works from those that are.
    if (random_proposals_ < population_size_ || population_.empty()) {
      const std::size_t index = random_proposals_++;
      if (!seeds_.empty()) return seeds_[index % seeds_.size()].arch;
      RandomPolicy policy(rng_);
      return space_.sample(policy);
    }
    return space_.mutate(tournament_winner(), rng_);
  }

  std::vector<SeedArchitecture> seeds() const override { return seeds_; }

  void observe(const Trial& trial) override {
    const double fitness = trial.status == TrialStatus::done ? trial.metrics.val_accuracy
                                                             : -std::numeric_limits<double>::infinity();
    population_.push_back(Member{trial.id, trial.arch, fitness});
    while (population_.size() > population_size_) population_.pop_front();
  }

  Json state() const override {
    Json members = Json::array();
    for (const auto& m : population_)
      members.push_back(Json{{"trial", m.trial_id}, {"arch", m.arch.to_json()}, {"fitness", encode(m.fitness)}});
    return Json{{"rng", rng_.state()}, {"random_proposals", random_proposals_}, {"population", members}};
  }

  void restore(const Json& state) override {
    rng_.restore(state.at("rng").get<std::string>());
    random_proposals_ = state.at("random_proposals").get<std::size_t>();
    population_.clear();
    for (const auto& m : state.at("population"))
      population_.push_back(Member{m.at("trial").get<std::int64_t>(),
                                   space_.replay(Architecture::choices_from_json(m.at("arch"))),
                                   decode(m.at("fitness"))});
  }

 private:
  // Tournament members are drawn without replacement, as in Real et al.
  const Architecture& tournament_winner() {
    std::vector<std::size_t> indices(population_.size());
    for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = i;
    const std::size_t draws = std::min(tournament_size_, indices.size());
    const Member* best = nullptr;
    for (std::size_t k = 0; k < draws; ++k) {
      std::swap(indices[k], indices[k + rng_.index(indices.size() - k)]);
      const Member& candidate = population_[indices[k]];
      if (!best || candidate.fitness > best->fitness) best = &candidate;
    }
    return best->arch;
  }

  // JSON has no infinity: a failed member's fitness is written as null.
  static Json encode(double fitness) { return std::isfinite(fitness) ? Json(fitness) : Json(nullptr); }
  static double decode(const Json& value) {
    return value.is_null() ? -std::numeric_limits<double>::infinity() : value.get<double>();
  }

  const SearchSpace& space_;
  Rng rng_;
  std::size_t population_size_;
  std::size_t tournament_size_;
  std::vector<SeedArchitecture> seeds_;
  std::size_t random_proposals_ = 0;
  std::deque<Member> population_;
};

const bool registered = controller_registry().add(
    "evolution", [](const ConfigNode& options, const SearchSpace& space, std::uint64_t seed) {
      const auto population = options.integer("population", 16, 2, 100000);
      const auto tournament = options.integer("tournament", 4, 1, 100000);
      if (tournament > population)
        throw options.error("tournament", "must not exceed controller.population (" +
                                              std::to_string(population) + "), got " + std::to_string(tournament));
      // Seeds: architectures the space ships (nas space describe SPACE lists them), e.g. [resnet18, vit].
      return std::make_unique<RegularizedEvolution>(space, seed, population, tournament, read_seed_architectures(options, space));
    });

}  // namespace
}  // namespace nas
