// Generational evolution (SPOS, ViT-ResNAS): generation sizes, top-k parents, gene-level mutation and
// crossover, novelty, the run's constraints (space.admits), asynchronous proposals and exact resume.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "../support/toy_space.hpp"
#include "controller_testing.hpp"
#include "controllers/crossover_policy.hpp"
#include "controllers/gene_mutation_policy.hpp"

namespace nas {
namespace {

using testing::decisions_apart;
using testing::ListedToySpace;
using testing::make_controller_from;
using testing::o2_fraction;
using testing::ToyDecision;
using testing::ToySpace;
using testing::trial_result;

// A space wrapped in constraints, as the run wraps one: it forwards to `inner` and admits only what
// `allowed` accepts. Plain, its own sampling does not enforce them, so the controller must ask
// admits(); re-walking, it walks a policy again until the result fits and throws after 200 walks,
// as search_spaces' ConstrainedSpace does.
class RefusingSpace : public SearchSpace {
 public:
  RefusingSpace(const SearchSpace& inner, std::function<bool(const Architecture&)> allowed, bool rewalk = false)
      : inner_(inner), allowed_(std::move(allowed)), rewalk_(rewalk) {}
  std::string name() const override { return inner_.name(); }
  Architecture sample(Policy& policy) const override {
    if (!rewalk_) return inner_.sample(policy);
    for (int walk = 0; walk < 200; ++walk) {
      Architecture arch = inner_.sample(policy);
      if (allowed_(arch)) return arch;
    }
    throw Error("constraints", "nothing fits");
  }
  Architecture from_genotype(const Json& genotype) const override { return inner_.from_genotype(genotype); }
  ModelSummary describe(const Architecture& arch, const TaskShape& task) const override {
    return inner_.describe(arch, task);
  }
  std::shared_ptr<Network> build(const Architecture& arch, const TaskShape& task) const override {
    return inner_.build(arch, task);
  }
  std::vector<std::string> named_architectures() const override { return inner_.named_architectures(); }
  Architecture named(const std::string& name) const override { return inner_.named(name); }
  bool admits(const Architecture& arch) const override {
    const bool ok = allowed_(arch);
    refusals_ += !ok;
    return ok;
  }
  bool allowed(const Architecture& arch) const { return allowed_(arch); }
  int refusals() const { return refusals_; }

 private:
  const SearchSpace& inner_;
  std::function<bool(const Architecture&)> allowed_;
  bool rewalk_;
  mutable int refusals_ = 0;
};

// No "o0" in the first three decisions, and the first two differ: crossovers of admitted parents can
// break the second rule, mutants either.
bool no_o0_and_first_two_differ(const Architecture& arch) {
  for (std::size_t i = 0; i < 3; ++i)
    if (arch.choices()[i].label == "o0") return false;
  return arch.choices()[0].label != arch.choices()[1].label;
}

// A space whose decisions depend on earlier ones: a depth, then an op per layer.
class DepthToySpace : public SearchSpace {
 public:
  std::string name() const override { return "depth-toy"; }
  Architecture sample(Policy& policy) const override {
    std::vector<Choice> choices;
    std::string canonical;
    const std::vector<std::string> depths{"1", "2", "3"};
    const std::size_t d = policy.choose(Decision{"depth", depths, {}, ""});
    choices.push_back(Choice{"depth", d, depths[d]});
    for (std::size_t layer = 0; layer <= d; ++layer) {
      const std::string key = "layer" + std::to_string(layer) + "/op";
      const auto labels = testing::toy_labels(3);
      const std::size_t o = policy.choose(Decision{key, labels, {}, ""});
      choices.push_back(Choice{key, o, labels[o]});
      canonical += labels[o] + ",";
    }
    return Architecture(name(), choices, Json::array(), canonical);
  }
  Architecture from_genotype(const Json&) const override { throw Error("", "unused"); }
  ModelSummary describe(const Architecture&, const TaskShape&) const override { return {}; }
  std::shared_ptr<Network> build(const Architecture&, const TaskShape&) const override { return nullptr; }
};

std::string label_of(const Architecture& arch, const std::string& key) {
  for (const auto& choice : arch.choices())
    if (choice.key == key) return choice.label;
  return "";
}

// Whether every gene of `child` comes from `a` or `b`.
bool genes_from(const Architecture& child, const Architecture& a, const Architecture& b) {
  for (const auto& choice : child.choices())
    if (choice.label != label_of(a, choice.key) && choice.label != label_of(b, choice.key)) return false;
  return true;
}

Json pending_origins(const Controller& controller) {
  const Json state = controller.state();
  Json origins = Json::array();
  for (const auto& member : state.at("pending")) origins.push_back(member.at("origin"));
  return origins;
}

// A toy space that ships two named architectures, for `seeds`.
class NamedToySpace : public ToySpace {
 public:
  NamedToySpace() : ToySpace(6, 3) {}
  std::vector<std::string> named_architectures() const override { return {"all-o0", "all-o2"}; }
  Architecture named(const std::string& name) const override {
    return from_genotype(Json(std::vector<std::string>(6, name == "all-o0" ? "o0" : "o2")));
  }
};

// ---- the gene-level policies ----

TEST(GenerationalEvolutionPolicies, MutationKeepsGenesAtProbabilityZeroAndRedrawsThemAtOne) {
  ToySpace space(12, 3);
  Rng rng(1);
  RandomPolicy random(rng);
  const Architecture parent = space.sample(random);
  GeneMutationPolicy keep(parent.choices(), 0.0, rng);
  EXPECT_EQ(space.sample(keep).hash(), parent.hash());
  EXPECT_EQ(keep.changed(), 0u);
  GeneMutationPolicy redraw(parent.choices(), 1.0, rng);
  const Architecture child = space.sample(redraw);
  EXPECT_EQ(static_cast<std::size_t>(decisions_apart(parent, child)), redraw.changed());
  EXPECT_GE(redraw.changed(), 4u) << "every gene re-drawn among 3 options: about 2/3 of 12 change";
  // At 0.3 about 0.3 * 2/3 of the genes change, never more than with 1.
  int apart = 0;
  for (int i = 0; i < 200; ++i) {
    GeneMutationPolicy some(parent.choices(), 0.3, rng);
    apart += decisions_apart(parent, space.sample(some));
  }
  EXPECT_NEAR(apart / 200.0, 12 * 0.3 * 2 / 3, 0.6);
}

TEST(GenerationalEvolutionPolicies, CrossoverTakesEachGeneFromOneParentByKey) {
  ToySpace space(16, 3);
  Rng rng(2);
  RandomPolicy random(rng);
  const Architecture a = space.sample(random);
  const Architecture b = space.sample(random);
  CrossoverPolicy first(a.choices(), b.choices(), 0.0, rng);
  EXPECT_EQ(space.sample(first).hash(), a.hash());
  CrossoverPolicy second(a.choices(), b.choices(), 1.0, rng);
  EXPECT_EQ(space.sample(second).hash(), b.hash());
  CrossoverPolicy mixed(a.choices(), b.choices(), 0.5, rng);
  const Architecture child = space.sample(mixed);
  EXPECT_TRUE(genes_from(child, a, b));
  EXPECT_GT(mixed.from_second(), 2u);
  EXPECT_LT(mixed.from_second(), 14u);
  EXPECT_EQ(mixed.drawn(), 0u);
}

TEST(GenerationalEvolutionPolicies, GenesAreMatchedByKeyInSpacesWhoseDecisionsDependOnEarlierOnes) {
  DepthToySpace space;
  const Architecture deep = space.replay({{"depth", 0, "3"}, {"layer0/op", 0, "o1"}, {"layer1/op", 0, "o1"},
                                          {"layer2/op", 0, "o1"}});
  const Architecture shallow = space.replay({{"depth", 0, "1"}, {"layer0/op", 0, "o2"}});
  Rng rng(3);
  for (int i = 0; i < 50; ++i) {
    CrossoverPolicy policy(shallow.choices(), deep.choices(), 0.5, rng);
    const Architecture child = space.sample(policy);
    EXPECT_TRUE(genes_from(child, shallow, deep)) << child.short_form();
    EXPECT_EQ(policy.drawn(), 0u);
  }
  // A mutant that grows deeper draws the new layers' genes; the others keep the parent's.
  int grew = 0;
  for (int i = 0; i < 100; ++i) {
    GeneMutationPolicy policy(shallow.choices(), 0.5, rng);
    const Architecture child = space.sample(policy);
    if (label_of(child, "depth") == "1") continue;
    ++grew;
    EXPECT_EQ(policy.changed(), child.choices().size() - 1 + (label_of(child, "layer0/op") != "o2"));
  }
  EXPECT_GT(grew, 10);
}

// ---- the controller ----

TEST(GenerationalEvolution, GenerationSizesFollowTheSettingsAndParentsAreTheTopK) {
  ToySpace space(8, 3);
  auto controller = make_controller_from(
      "controller: {name: generational_evolution, population: 12, parents: 4, mutants: 5, crossovers: 3}", space, 5);
  std::vector<std::pair<double, Architecture>> observed;  // in observation order
  std::set<std::string> proposed;
  double mutant_distance = 0;
  int mutants = 0, crossovers = 0;
  std::int64_t id = 0;
  for (int generation = 0; generation < 5; ++generation) {
    const std::size_t size = generation == 0 ? 12 : 8;
    std::vector<Architecture> members{controller->propose()};
    const Json state = controller->state();
    EXPECT_EQ(state.at("generation").get<int>(), generation);
    const Json origins = pending_origins(*controller);
    ASSERT_EQ(origins.size(), size - 1);
    std::vector<Architecture> parents;
    if (generation == 0) {
      for (const auto& origin : origins) EXPECT_EQ(origin, "random");
    } else {
      // Mutants first, then crossovers.
      for (std::size_t i = 0; i < origins.size(); ++i) EXPECT_EQ(origins[i], i + 1 < 5 ? "mutant" : "crossover");
      // The parents are the top 4 of everything observed (ties: the one observed first).
      auto ranked = observed;
      std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      std::vector<std::string> expected;
      for (std::size_t i = 0; i < 4; ++i) {
        expected.push_back(ranked[i].second.hash());
        parents.push_back(ranked[i].second);
      }
      EXPECT_EQ(state.at("parents").get<std::vector<std::string>>(), expected);
    }
    for (std::size_t i = 1; i < size; ++i) members.push_back(controller->propose());
    for (std::size_t i = 0; i < size; ++i) {
      const Architecture& member = members[i];
      EXPECT_TRUE(proposed.insert(member.hash()).second) << "duplicate " << member.short_form();
      if (generation > 0 && i >= 5) {
        ++crossovers;
        bool from_two_parents = false;
        for (std::size_t a = 0; a < parents.size(); ++a)
          for (std::size_t b = 0; b < parents.size(); ++b)
            from_two_parents = from_two_parents || (a != b && genes_from(member, parents[a], parents[b]));
        EXPECT_TRUE(from_two_parents) << "crossover " << member.short_form();
      } else if (generation > 0) {
        ++mutants;
        int closest = 99;
        for (const auto& parent : parents) closest = std::min(closest, decisions_apart(member, parent));
        EXPECT_GE(closest, 1);
        mutant_distance += closest;
      }
    }
    // The next generation is built only when this one is all handed out: observe it first.
    for (const auto& member : members) {
      controller->observe(trial_result(id++, member, o2_fraction(member)));
      observed.emplace_back(o2_fraction(member), member);
    }
  }
  EXPECT_EQ(mutants, 4 * 5);
  EXPECT_EQ(crossovers, 4 * 3);
  // Per-gene mutation at 0.1 changes about one gene; a random architecture is ~4 genes from the closest parent.
  EXPECT_LT(mutant_distance / mutants, 2.0);
}

TEST(GenerationalEvolution, ImprovesOverRandomAndFindsTheOptimumOfAToyProblem) {
  for (std::uint64_t seed : {0, 1, 2, 3, 4}) {
    ToySpace space(8, 3);  // 6561 architectures, one optimum (all o2)
    auto controller = make_controller_from(
        "controller: {name: generational_evolution, population: 20, parents: 5, mutants: 10, crossovers: 10}",
        space, seed);
    std::vector<double> mean;
    int evaluations_to_optimum = -1;
    std::int64_t id = 0;
    for (int generation = 0; generation < 10; ++generation) {
      const int size = 20;  // population, then mutants + crossovers
      std::vector<Architecture> members;
      for (int i = 0; i < size; ++i) members.push_back(controller->propose());
      double total = 0;
      for (const auto& member : members) {
        const double fitness = o2_fraction(member);
        total += fitness;
        controller->observe(trial_result(id++, member, fitness));
        if (fitness == 1.0 && evaluations_to_optimum < 0) evaluations_to_optimum = static_cast<int>(id);
      }
      mean.push_back(total / size);
      if (evaluations_to_optimum > 0 && generation >= 3) break;
    }
    EXPECT_GT(mean[3], mean[0] + 0.2) << "seed " << seed;
    // Random search would need ~6561 / 2 evaluations on average; 200 give it a 3% chance (these seeds
    // find it in 54 to 80).
    EXPECT_GT(evaluations_to_optimum, 0) << "seed " << seed;
    EXPECT_LE(evaluations_to_optimum, 200) << "seed " << seed;
  }
}

TEST(GenerationalEvolution, NoDuplicateWhileNewOnesExistThenRepeatsRatherThanStop) {
  ToySpace space(3, 3);  // 27 architectures
  auto controller = make_controller_from(
      "controller: {name: generational_evolution, population: 5, parents: 3, mutants: 3, crossovers: 3}", space, 1);
  std::set<std::string> seen;
  for (int i = 0; i < 27; ++i) {
    const auto arch = controller->propose();
    EXPECT_TRUE(seen.insert(arch.hash()).second) << "proposal " << i << " repeats " << arch.short_form();
    controller->observe(trial_result(i, arch, o2_fraction(arch)));
  }
  for (int i = 27; i < 35; ++i) {
    const auto arch = controller->propose();
    EXPECT_EQ(seen.count(arch.hash()), 1u);
    controller->observe(trial_result(i, arch, o2_fraction(arch)));
  }
}

TEST(GenerationalEvolution, FailedTrialsNeverBecomeParents) {
  ToySpace space(6, 3);
  auto controller = make_controller_from(
      "controller: {name: generational_evolution, population: 4, parents: 3, mutants: 3, crossovers: 3}", space);
  std::vector<Architecture> first;
  for (int i = 0; i < 4; ++i) first.push_back(controller->propose());
  for (int i = 0; i < 3; ++i) controller->observe(trial_result(i, first[i], 0.99, /*failed=*/true));
  controller->observe(trial_result(3, first[3], 0.1));
  const auto child = controller->propose();
  EXPECT_EQ(controller->state().at("parents"), Json::array({first[3].hash()}));
  // One parent: the crossovers are mutants of it too.
  EXPECT_EQ(pending_origins(*controller), Json::array({"mutant", "mutant", "mutant", "mutant", "mutant"}));
  EXPECT_GE(decisions_apart(child, first[3]), 1);
}

TEST(GenerationalEvolution, AsynchronousProposalsBuildFromWhatIsObservedAndAreDeterministic) {
  ToySpace space(8, 3);
  const std::string yaml =
      "controller: {name: generational_evolution, population: 4, parents: 2, mutants: 2, crossovers: 2}";
  auto a = make_controller_from(yaml, space, 9);
  auto b = make_controller_from(yaml, space, 9);
  std::vector<Architecture> handed;
  for (int i = 0; i < 5; ++i) {
    handed.push_back(a->propose());
    EXPECT_EQ(handed.back().hash(), b->propose().hash());
  }
  // Nothing observed when generation 0 ran out: generation 1 is random.
  EXPECT_EQ(a->state().at("generation"), 1);
  EXPECT_EQ(pending_origins(*a), Json::array({"random", "random", "random"}));
  EXPECT_TRUE(a->state().at("parents").empty());
  // Two results arrive; generation 2 is built from them, while 7 proposals are still out.
  for (auto* c : {a.get(), b.get()}) {
    c->observe(trial_result(0, handed[1], 0.5));
    c->observe(trial_result(1, handed[3], 0.7));
  }
  for (int i = 5; i < 9; ++i) {
    handed.push_back(a->propose());
    EXPECT_EQ(handed.back().hash(), b->propose().hash());
  }
  EXPECT_EQ(a->state().at("generation"), 2);
  EXPECT_EQ(a->state().at("parents"), Json::array({handed[3].hash(), handed[1].hash()}));
  EXPECT_EQ(pending_origins(*a), Json::array({"mutant", "crossover", "crossover"}));
  EXPECT_EQ(a->state().dump(), b->state().dump());
  std::set<std::string> distinct;
  for (const auto& arch : handed) distinct.insert(arch.hash());
  EXPECT_EQ(distinct.size(), handed.size());
}

TEST(GenerationalEvolution, RefusedArchitecturesAreNeverProposedByMutationCrossoverOrSampling) {
  ToySpace inner(8, 3);  // admitted: 2^3 / 2 * 3^5 = 972 architectures
  // Crossovers alone soon run out of new combinations of 4 converging parents and fall back to random.
  const std::vector<std::tuple<std::string, std::string, int>> runs{{"mutants: 8, crossovers: 0", "mutant", 40},
                                                                    {"mutants: 0, crossovers: 8", "crossover", 10}};
  for (const bool rewalk : {false, true}) {
    for (const auto& [children, made_by, at_least] : runs) {
      const std::string what = children + (rewalk ? ", re-walking space" : "");
      RefusingSpace space(inner, no_o0_and_first_two_differ, rewalk);
      auto controller = make_controller_from(
          "controller: {name: generational_evolution, population: 10, parents: 4, " + children + "}", space, 4);
      std::map<std::string, int> origins;
      int refused_in_later_generations = 0;
      std::int64_t id = 0;
      for (int generation = 0; generation < 8; ++generation) {
        const int before = space.refusals();
        std::vector<Architecture> members{controller->propose()};
        if (generation > 0) {
          refused_in_later_generations += space.refusals() - before;
          for (const auto& origin : pending_origins(*controller)) ++origins[origin.get<std::string>()];
        }
        for (int i = 1; i < (generation == 0 ? 10 : 8); ++i) members.push_back(controller->propose());
        for (const auto& member : members) {
          EXPECT_TRUE(space.allowed(member)) << what << ": proposed refused " << member.short_form();
          controller->observe(trial_result(id++, member, o2_fraction(member)));
        }
      }
      // A re-walking space refuses inside sample(), where the controller's admits() never sees it.
      if (!rewalk) {
        EXPECT_GT(refused_in_later_generations, 0) << what << ": the constraint never bit";
      }
      EXPECT_GE(origins[made_by], at_least) << what << ": too few children made by " << made_by;
    }
  }
}

TEST(GenerationalEvolution, ASpaceThatRewalksAPolicyGetsAFreshChildOfTheSameParentsEachWalk) {
  ToySpace inner(8, 3);
  // Admits only architectures with at least 3 "o2": a parent with 3 that mutates mostly falls below.
  RefusingSpace space(inner, [](const Architecture& arch) { return o2_fraction(arch) >= 3 / 8.0; }, true);
  const Architecture parent = space.replay({{"d0", 0, "o2"}, {"d1", 0, "o2"}, {"d2", 0, "o2"}, {"d3", 0, "o0"},
                                            {"d4", 0, "o0"}, {"d5", 0, "o0"}, {"d6", 0, "o0"}, {"d7", 0, "o0"}});
  Rng rng(6);
  std::size_t walks = 0;
  for (int i = 0; i < 40; ++i) {
    GeneMutationPolicy policy(parent.choices(), 0.3, rng);
    const Architecture child = space.sample(policy);
    EXPECT_TRUE(space.allowed(child));
    EXPECT_EQ(static_cast<std::size_t>(decisions_apart(parent, child)), policy.changed());
    walks += policy.walks();
  }
  EXPECT_GT(walks, 50u) << "some mutants were refused and walked again";
  const Architecture other = space.replay({{"d0", 0, "o0"}, {"d1", 0, "o0"}, {"d2", 0, "o0"}, {"d3", 0, "o2"},
                                           {"d4", 0, "o2"}, {"d5", 0, "o2"}, {"d6", 0, "o0"}, {"d7", 0, "o0"}});
  walks = 0;
  for (int i = 0; i < 40; ++i) {
    CrossoverPolicy policy(parent.choices(), other.choices(), 0.5, rng);
    const Architecture child = space.sample(policy);
    EXPECT_TRUE(space.allowed(child));
    EXPECT_TRUE(genes_from(child, parent, other));
    walks += policy.walks();
  }
  EXPECT_GT(walks, 50u) << "some children were refused and walked again";
}

TEST(GenerationalEvolution, ASpaceThatAdmitsNothingGivesAClearError) {
  ToySpace inner(4, 3);
  RefusingSpace space(inner, [](const Architecture&) { return false; });
  auto controller = make_controller_from("controller: {name: generational_evolution}", space);
  try {
    controller->propose();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("admitted none of 1000 architectures"), std::string::npos) << e.what();
  }
}

TEST(GenerationalEvolution, SeedsOpenGenerationZeroThenRandomSamplesFillIt) {
  NamedToySpace space;
  auto controller = make_controller_from(
      "controller: {name: generational_evolution, population: 5, parents: 2, seeds: [all-o2, all-o0]}", space);
  ASSERT_EQ(controller->seeds().size(), 2u);
  EXPECT_EQ(controller->propose().hash(), space.named("all-o2").hash());
  EXPECT_EQ(pending_origins(*controller), Json::array({"seed", "random", "random", "random"}));
  EXPECT_EQ(controller->propose().hash(), space.named("all-o0").hash());
}

TEST(GenerationalEvolution, RestoredStateContinuesExactly) {
  ToySpace space(8, 3);
  const std::string yaml =
      "controller: {name: generational_evolution, population: 6, parents: 3, mutants: 3, crossovers: 2, "
      "mutation_prob: 0.3}";
  // Two workers: results arrive one proposal late, and every fifth trial fails.
  auto step = [](Controller& c, std::vector<Architecture>& out, std::int64_t& id) {
    out.push_back(c.propose());
    if (out.size() >= 2) {
      const Architecture& done = out[out.size() - 2];
      c.observe(trial_result(id, done, o2_fraction(done), /*failed=*/id % 5 == 4));
      ++id;
    }
  };
  auto original = make_controller_from(yaml, space, 3);
  std::vector<Architecture> from_original;
  std::int64_t id_original = 0;
  for (int i = 0; i < 17; ++i) step(*original, from_original, id_original);  // mid-generation
  auto restored = make_controller_from(yaml, space, 999);
  restored->restore(Json::parse(original->state().dump()));
  EXPECT_EQ(restored->state().dump(), original->state().dump());
  std::vector<Architecture> from_restored = from_original;
  std::int64_t id_restored = id_original;
  for (int i = 17; i < 60; ++i) {
    step(*original, from_original, id_original);
    step(*restored, from_restored, id_restored);
    ASSERT_EQ(from_original.back().hash(), from_restored.back().hash()) << "proposal " << i;
  }
  EXPECT_EQ(restored->state().dump(), original->state().dump());
}

TEST(GenerationalEvolution, BadKeysGiveErrorsNamingTheKey) {
  ToySpace space;
  const std::map<std::string, std::vector<std::string>> cases{
      {"population: 4, parents: 5", {"controller.parents", "must not exceed controller.population (4)"}},
      {"population: 0", {"controller.population", "between 1 and"}},
      {"mutants: 0, crossovers: 0", {"controller.mutants", "both 0"}},
      {"parents: 1", {"controller.parents", "crossovers need at least 2 parents"}},
      {"mutation_prob: 0", {"controller.mutation_prob", "greater than 0"}},
      {"mutation_prob: 1.5", {"controller.mutation_prob", "between 0 and 1"}},
      {"crossover_prob: 1", {"controller.crossover_prob", "exclusive"}},
      {"mutants: -1", {"controller.mutants", "between 0 and"}},
      {"mutant_prob: 0.2", {"unknown key 'mutant_prob'", "mutation_prob"}},
  };
  for (const auto& [keys, expected] : cases) {
    try {
      make_controller_from("controller: {name: generational_evolution, " + keys + "}", space);
      ADD_FAILURE() << keys << ": expected an error";
    } catch (const Error& e) {
      for (const auto& part : expected)
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << keys << ": " << e.what();
    }
  }
  NamedToySpace named;
  try {
    make_controller_from("controller: {name: generational_evolution, seeds: [all-o1]}", named);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("controller.seeds"), std::string::npos) << e.what();
  }
  try {
    make_controller_from("controller: {name: generational_evolution, population: 1, parents: 1, crossovers: 0, "
                         "seeds: [all-o0, all-o2]}",
                         named);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("controller.seeds: 2 seeds do not fit in controller.population (1)"),
              std::string::npos)
        << e.what();
  }
  RefusingSpace constrained(named, [](const Architecture& arch) { return o2_fraction(arch) > 0; });
  try {
    make_controller_from("controller: {name: generational_evolution, seeds: [all-o2, all-o0]}", constrained);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("controller.seeds"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'all-o0' does not meet the run's constraints"), std::string::npos)
        << e.what();
  }
  // One parent is fine without crossovers.
  EXPECT_NO_THROW(make_controller_from("controller: {name: generational_evolution, parents: 1, crossovers: 0}", space));
}

TEST(GenerationalEvolution, WorksOnASpaceWhoseDecisionsDependOnEarlierOnes) {
  DepthToySpace space;  // 3 + 9 + 27 = 39 architectures
  auto controller = make_controller_from(
      "controller: {name: generational_evolution, population: 8, parents: 3, mutants: 4, crossovers: 4, "
      "mutation_prob: 0.3}",
      space, 2);
  std::set<std::string> seen;
  for (int i = 0; i < 39; ++i) {
    const auto arch = controller->propose();
    EXPECT_TRUE(seen.insert(arch.hash()).second) << "proposal " << i;
    controller->observe(trial_result(i, arch, o2_fraction(arch)));
  }
}

}  // namespace
}  // namespace nas
