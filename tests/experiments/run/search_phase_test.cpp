// The run loop end to end on real Fashion-MNIST with tiny CNNs: what a user relies on when a search runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "controllers/controller.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/run/run.hpp"
#include "tests/support/run_experiment.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/tiny_cnn_space.hpp"

namespace nas {
namespace {

using testing::run_experiment;
using RunResult = testing::SearchOutcome;

const bool registered = search_space_registry().add("test-tiny-cnn", [](const ConfigNode& options, const TaskShape*) {
  return std::make_unique<testing::TinyCnnSpace>(options.string_list("outputs", {"logits", "nan"}));
});

// Proposes the space's `narrow` architecture over and over and asks the run to train every other
// proposal again (as the conservative explorer asks for its confirmations).
class RetrainingController : public Controller {
 public:
  explicit RetrainingController(const SearchSpace& space) : arch_(space.named("narrow")) {}
  Architecture propose() override {
    ++proposed_;
    return arch_;
  }
  void observe(const Trial&) override {}
  bool trains_again(const Architecture&) const override { return proposed_ % 2 == 0; }
  Json state() const override { return Json{{"proposed", proposed_}}; }
  void restore(const Json& state) override { proposed_ = state.at("proposed").get<int>(); }

 private:
  Architecture arch_;
  int proposed_ = 0;
};

const bool registered_controller =
    controller_registry().add("test-retraining", [](const ConfigNode&, const SearchSpace& space, std::uint64_t) {
      return std::make_unique<RetrainingController>(space);
    });

const char* kBase =
    "name: tiny\n"
    "seed: 1\n"
    "dataset: {name: fashion-mnist, train_subset: 2000, validation: 300}\n"
    "space: {name: test-tiny-cnn}\n"
    "controller: {name: random}\n"
    "evaluator: {workers: 2, threads_per_worker: 1, epochs: 1, batch_size: 32,\n"
    "            optimizer: {name: sgd, lr: 0.05, momentum: 0.9}}\n"
    "budget: {trials: 8}\n";

class SearchRun : public testing::ScratchDirTest {
 protected:
  RunResult run(const std::vector<std::string>& overrides, const std::string& subdir = "run") {
    return run_experiment(load_experiment(kBase, "tiny.yaml", overrides), dir(subdir));
  }
};

TEST_F(SearchRun, ASeededEvolutionEndsBySayingWhetherATrialBeatTheSeed) {
  const RunResult result = run({"controller={name: evolution, population: 2, tournament: 2, seeds: [narrow]}",
                                "space.outputs=[logits]", "budget.trials=6"});
  ASSERT_TRUE(result.best);
  const auto log = SearchLog::open(result.dir, SearchLog::Mode::read_only);
  const TrialRow seed = log.trial(0);  // the population starts with the seed
  ASSERT_EQ(seed.short_form, "4/logits");
  // The sentence names whichever side won, and the run's status in the log carries it.
  const std::string expected_start = log.trial(*result.best).arch_hash == seed.arch_hash
                                         ? "no trial beat seed narrow (trial 0"
                                         : "trial " + std::to_string(*result.best) + " (val_accuracy ";
  EXPECT_EQ(result.seed_verdict.rfind(expected_start, 0), 0u) << result.seed_verdict;
  EXPECT_EQ(log.info().status, "finished: " + result.seed_verdict);
  // Without seeds there is nothing to say, and the status stays plain.
  const RunResult unseeded = run({"budget.trials=2"}, "unseeded");
  EXPECT_EQ(unseeded.seed_verdict, "");
  EXPECT_EQ(SearchLog::open(unseeded.dir, SearchLog::Mode::read_only).info().status, "finished");
}

TEST_F(SearchRun, NanCandidatesFailAloneAndTheSearchCompletes) {
  const RunResult result = run({});
  const auto log = SearchLog::open(result.dir, SearchLog::Mode::read_only);
  const auto rows = log.trials();
  ASSERT_EQ(rows.size(), 8u);
  int failed = 0, done = 0;
  for (const auto& row : rows) {
    const bool poisoned = row.short_form.find("nan") != std::string::npos;
    if (poisoned) {
      EXPECT_EQ(row.status, TrialStatus::failed) << row.short_form;
      EXPECT_NE(row.error.find("nan"), std::string::npos) << row.error;
      ++failed;
    } else {
      EXPECT_EQ(row.status, TrialStatus::done) << row.short_form << ": " << row.error;
      ASSERT_TRUE(row.metrics.has_value());
      EXPECT_GT(row.metrics->val_accuracy, 0.2);  // well above chance (0.1) after 2000 images
      ++done;
    }
  }
  EXPECT_GT(failed, 0);
  EXPECT_GT(done, 0);
  EXPECT_EQ(result.failed, failed);
  ASSERT_TRUE(result.best.has_value());
  EXPECT_EQ(*result.best, log.best()->id);
  EXPECT_EQ(log.info().status, "finished");
}

TEST_F(SearchRun, AnArchitectureIsTrainedOnceAndItsResultReused) {
  // Three distinct architectures in the space, eight proposals: at least five reuse a result.
  const RunResult result = run({"space.outputs=[logits]"});
  EXPECT_GE(result.reused, 5);
  const auto rows = SearchLog::open(result.dir, SearchLog::Mode::read_only).trials();
  for (const auto& row : rows) {
    if (row.reused_from < 0) continue;
    const auto& original = rows[static_cast<std::size_t>(row.reused_from)];
    EXPECT_EQ(original.arch_hash, row.arch_hash);
    EXPECT_LT(original.id, row.id);
    ASSERT_TRUE(row.metrics && original.metrics);
    EXPECT_EQ(row.metrics->val_accuracy, original.metrics->val_accuracy);
  }
}

TEST_F(SearchRun, AnArchitectureTheControllerAsksToTrainAgainGetsAFreshTrainingFromItsOwnSeed) {
  const RunResult result = run({"controller={name: test-retraining}", "space.outputs=[logits]",
                                "evaluator.workers=1", "budget.trials=6"});
  EXPECT_EQ(result.reused, 2);  // trials 2 and 4; 0 is the first training, 1, 3 and 5 were asked for
  const auto rows = SearchLog::open(result.dir, SearchLog::Mode::read_only).trials();
  ASSERT_EQ(rows.size(), 6u);
  std::set<double> trained_accuracies;
  for (const auto& row : rows) {
    ASSERT_EQ(row.status, TrialStatus::done) << row.error;
    const bool asked = (row.id + 1) % 2 == 0;  // proposals 2, 4 and 6
    if (!asked && row.id > 0) {
      EXPECT_EQ(row.reused_from, 0) << "trial " << row.id;
      continue;
    }
    EXPECT_EQ(row.reused_from, -1) << "trial " << row.id;
    trained_accuracies.insert(row.metrics->val_accuracy);
  }
  // Four trainings, each from its trial's seed: with 300 validation images they do not all agree.
  EXPECT_GE(trained_accuracies.size(), 2u);
}

TEST_F(SearchRun, AFailedArchitectureIsTrainedAgainNotReused) {
  // Every candidate fails (NaN); repeats of an architecture, also those proposed while it was still
  // training, must each get their own training rather than a copied failure.
  const RunResult result = run({"space.outputs=[nan]"});
  EXPECT_EQ(result.reused, 0);
  EXPECT_EQ(result.failed, 8);
  for (const auto& row : SearchLog::open(result.dir, SearchLog::Mode::read_only).trials()) {
    EXPECT_EQ(row.reused_from, -1);
    EXPECT_NE(row.error.find("nan"), std::string::npos) << row.error;
  }
}

TEST_F(SearchRun, CandidatesOverTheSizeCapFailWithTheReason) {
  const RunResult result = run({"evaluator.max_params=50", "budget.trials=3"});
  EXPECT_EQ(result.failed, 3);
  EXPECT_FALSE(result.best.has_value());
  for (const auto& row : SearchLog::open(result.dir, SearchLog::Mode::read_only).trials())
    EXPECT_NE(row.error.find("max_params"), std::string::npos) << row.error;
}

TEST_F(SearchRun, OneWorkerWithAFixedSeedIsReproducible) {
  const std::vector<std::string> overrides = {"evaluator.workers=1", "budget.trials=4", "space.outputs=[logits, nan]"};
  const auto a = SearchLog::open(run(overrides, "a").dir, SearchLog::Mode::read_only).trials();
  const auto b = SearchLog::open(run(overrides, "b").dir, SearchLog::Mode::read_only).trials();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].arch_hash, b[i].arch_hash);
    EXPECT_EQ(a[i].status, b[i].status);
    if (a[i].metrics && b[i].metrics) {
      EXPECT_EQ(a[i].metrics->val_accuracy, b[i].metrics->val_accuracy);
      EXPECT_EQ(a[i].metrics->val_loss, b[i].metrics->val_loss);
    }
  }
}

// The NAS-Bench-201 protocol: a budget of simulated training time, each query costing seconds_per_query.
TEST_F(SearchRun, SimulatedTrainSecondsBudgetStopsTheSearch) {
  const std::string table = NAS_SHARED_DIR "/datasets/nasbench201/nb201.csv";
  Experiment experiment = load_experiment_file(
      NAS_SOURCE_DIR "/experiments/examples/nb201_tabular.yaml",
      {"evaluator.table=" + table, "evaluator.seconds_per_query=10", "budget.train_seconds=100", "budget.trials=1000"});
  const RunResult result = run_experiment(std::move(experiment), dir("run"));
  EXPECT_DOUBLE_EQ(result.trial_seconds, 100.0) << "ten queries of 10 simulated seconds, repeats free";
  EXPECT_EQ(result.trials - result.reused, 10);
  EXPECT_EQ(SearchLog::open(dir("run"), SearchLog::Mode::read_only).info().status,
            "stopped: budget.train_seconds reached");
}

// A resumed search spends what is left of its budgets: the simulated seconds and the wall-clock time of
// earlier sessions count.
TEST_F(SearchRun, AResumedSearchCountsTheBudgetsEarlierSessionsSpent) {
  const std::string table = NAS_SHARED_DIR "/datasets/nasbench201/nb201.csv";
  const std::string file = NAS_SOURCE_DIR "/experiments/examples/nb201_tabular.yaml";
  {
    Experiment experiment = load_experiment_file(
        file, {"evaluator.table=" + table, "evaluator.seconds_per_query=10", "budget.trials=5"});
    const RunResult first = run_experiment(std::move(experiment), dir("run"));
    ASSERT_EQ(first.trials - first.reused, 5) << "5 cells queried: 50 simulated seconds spent";
  }
  const double first_session_seconds =
      SearchLog::open(dir("run"), SearchLog::Mode::read_only).latest_checkpoint()->search_seconds;
  EXPECT_GT(first_session_seconds, 0.0);
  const RunOutcome resumed = nas::Run::resume(dir("run"), {"budget.trials=1000", "budget.train_seconds=100"}, {}).go_on();
  EXPECT_DOUBLE_EQ(resumed.summaries.at("search").at("trial_seconds").get<double>(), 50.0)
      << "the 50 simulated seconds left, of 100";
  const SearchLog log = SearchLog::open(dir("run"), SearchLog::Mode::read_only);
  std::int64_t queried = 0;
  for (const TrialRow& row : log.trials()) queried += row.reused_from < 0 ? 1 : 0;
  EXPECT_EQ(queried, 10) << "5 more cells for the 50 simulated seconds left, not 10";
  EXPECT_EQ(log.info().status, "stopped: budget.train_seconds reached");
  EXPECT_GT(log.latest_checkpoint()->search_seconds, first_session_seconds) << "search time adds up over sessions";
}

TEST_F(SearchRun, BudgetHoursStopsProposingNewTrials) {
  const RunResult result = run({"budget.hours=0.0000001", "budget.trials=50"});
  EXPECT_LT(result.trials, 50);
  EXPECT_NE(SearchLog::open(result.dir, SearchLog::Mode::read_only).info().status.find("stopped"), std::string::npos);
}

}  // namespace
}  // namespace nas
