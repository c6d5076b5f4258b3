// `nas reevaluate`: the best trials of a search trained again from fresh seeds, every repeat in the log,
// the choice made by the mean, and `nas export` following that choice.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "core/error.hpp"
#include "experiments/log/kept_weights.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/post/model_export.hpp"
#include "experiments/post/reevaluation.hpp"
#include "tests/support/run_experiment.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/tiny_cnn_space.hpp"

namespace nas {
namespace {

const bool registered = search_space_registry().add("test-tiny-cnn-reevaluated", [](const ConfigNode& options, const TaskShape*) {
  return std::make_unique<testing::TinyCnnSpace>(options.string_list("outputs", {"logits"}));
});

// Tiny CNNs for one epoch on 1000 images: a training takes a fraction of a second, and its validation
// accuracy depends on the seed, as a real candidate's does.
const char* kExperiment =
    "name: reevaluated\n"
    "seed: 3\n"
    "dataset: {name: fashion-mnist, train_subset: 1000, validation: 200}\n"
    "space: {name: test-tiny-cnn-reevaluated}\n"
    "controller: {name: random}\n"
    "evaluator: {workers: 2, threads_per_worker: 1, epochs: 1, batch_size: 32,\n"
    "            optimizer: {name: sgd, lr: 0.05, momentum: 0.9}}\n"
    "budget: {trials: 6}\n";

class Reevaluation : public testing::ScratchDirTest {
 protected:
  std::string searched(const std::vector<std::string>& overrides = {}) {
    return testing::run_experiment(load_experiment(kExperiment, "reevaluated.yaml", overrides), dir("run")).dir;
  }
  static ReevaluateOptions options_for(const std::string& run, int top, int repeats) {
    ReevaluateOptions options;
    options.run_dir = run;
    options.top = top;
    options.repeats = repeats;
    return options;
  }
};

TEST_F(Reevaluation, TrainsEachTopTrialFromFreshSeedsAndRecordsEveryRepeat) {
  const std::string run = searched();
  ReevaluateOptions options = options_for(run, 2, 3);
  int reported = 0;
  options.on_repeat = [&](const ReevaluationRow&) { ++reported; };
  const ReevaluateOutcome outcome = reevaluate(options);
  EXPECT_EQ(outcome.trained, 6);
  EXPECT_EQ(reported, 6);

  const SearchLog log = SearchLog::open(run, SearchLog::Mode::read_only);
  const std::vector<TrialRow> top = log.top_trained_trials(2);
  const std::vector<ReevaluationRow> rows = log.reevaluations();
  ASSERT_EQ(rows.size(), 6u);
  std::set<std::uint64_t> seeds;
  for (const TrialRow& trial : log.trials()) seeds.insert(trial.seed);
  for (const ReevaluationRow& row : rows) {
    EXPECT_TRUE(row.trial_id == top[0].id || row.trial_id == top[1].id) << row.trial_id;
    EXPECT_EQ(row.status, TrialStatus::done) << row.error;
    EXPECT_TRUE(seeds.insert(row.seed).second) << "repeat " << row.repeat << " of trial " << row.trial_id
                                               << " reuses a seed";
  }
  // The summary is the mean and spread of the recorded repeats, best mean first.
  ASSERT_EQ(outcome.summaries.size(), 2u);
  EXPECT_GE(outcome.summaries[0].val_accuracy_mean, outcome.summaries[1].val_accuracy_mean);
  for (const ReevaluationSummary& summary : outcome.summaries) {
    double sum = 0, squares = 0;
    for (const ReevaluationRow& row : rows)
      if (row.trial_id == summary.trial_id) sum += row.metrics.val_accuracy;
    const double mean = sum / 3;
    for (const ReevaluationRow& row : rows)
      if (row.trial_id == summary.trial_id) squares += std::pow(row.metrics.val_accuracy - mean, 2);
    EXPECT_EQ(summary.done, 3);
    EXPECT_NEAR(summary.val_accuracy_mean, mean, 1e-12);
    EXPECT_NEAR(summary.val_accuracy_std, std::sqrt(squares / 3), 1e-12);
    EXPECT_EQ(summary.search_val_accuracy, log.trial(summary.trial_id).metrics->val_accuracy);
  }
  const std::string text = reevaluation_text(outcome.summaries);
  EXPECT_NE(text.find("chosen trial " + std::to_string(outcome.summaries[0].trial_id)), std::string::npos) << text;
}

TEST(ReevaluationText, ShowsEveryReportedFigureInItsOwnAlignedColumn) {
  ReevaluationSummary chosen;
  chosen.trial_id = 71;
  chosen.short_form = "gat sum elu 16x8 | gat sum linear 4xC";
  chosen.done = 10;
  chosen.val_accuracy_mean = 0.8108;
  chosen.reported = {{"test_accuracy", {0.8277, 0.0036}},
                     {"graphnas_test_accuracy", {0.8328, 0.0023}},
                     {"best_epoch", {276.6, 20.7}}};
  ReevaluationSummary older = chosen;  // re-evaluated before the evaluator reported GraphNAS's figure
  older.trial_id = 0;
  older.val_accuracy_mean = 0.8084;
  older.reported = {{"test_accuracy", {0.8296, 0.0049}}};
  const std::string text = reevaluation_text({chosen, older});
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  ASSERT_EQ(lines.size(), 5u) << text;
  EXPECT_NE(lines[0].find("chosen trial 71"), std::string::npos) << text;
  // Both trials' repeats all validated alike (no spread), so the lead has no standard error to scale by.
  EXPECT_EQ(lines[1], "Lead over trial 0: 0.0024 mean val_acc (every repeat validated the same)") << text;
  lines.erase(lines.begin() + 1);  // the table's rows, as below, follow the lead
  EXPECT_NE(lines[1].find("graphnas_test_accuracy"), std::string::npos) << text;
  EXPECT_NE(lines[1].find(" test_accuracy"), std::string::npos) << text;
  EXPECT_NE(lines[2].find("0.8328 ± 0.0023"), std::string::npos) << text;
  EXPECT_NE(lines[2].find("0.8277 ± 0.0036"), std::string::npos) << text;
  EXPECT_NE(lines[2].find(" 276.6 ± 20.7 "), std::string::npos) << text;  // epochs: no noise digits
  EXPECT_NE(lines[3].find("0.8296 ± 0.0049"), std::string::npos) << text;
  // The older trial lacks GraphNAS's figure: a dash, and its test accuracy still under its header.
  // The column where `what` ends on `line` ("±" is two bytes, one column): the cells are right-aligned.
  const auto end_column = [](const std::string& line, const std::string& what) {
    const std::string before = line.substr(0, line.find(what) + what.size());
    return std::count_if(before.begin(), before.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  };
  EXPECT_EQ(end_column(lines[2], "0.8277 ± 0.0036"), end_column(lines[3], "0.8296 ± 0.0049")) << text;
  EXPECT_EQ(end_column(lines[1], "search_val"), end_column(lines[3], "0.8296 ± 0.0049") + 12) << text;
  EXPECT_EQ(end_column(lines[1], "graphnas_test_accuracy"), end_column(lines[2], "0.8328 ± 0.0023")) << text;
  EXPECT_NE(lines[3].find(" - "), std::string::npos) << text;
}

// The seed-0 Cora search's finalists (bench/README.md): 0.8188 +- 0.0062 against 0.8184 +- 0.0063 over 20
// repeats is a lead of 0.0004 against a standard error of sqrt((0.0062^2 + 0.0063^2) / 19) = 0.0020.
TEST(ReevaluationText, SaysWhenTheChosenTrialLeadsByLessThanTwoStandardErrors) {
  const auto summary = [](std::int64_t id, double mean, double std, int done) {
    ReevaluationSummary s;
    s.trial_id = id;
    s.short_form = "gat sum elu 8x8 | gat sum linear 1xC";
    s.done = done;
    s.val_accuracy_mean = mean;
    s.val_accuracy_std = std;
    return s;
  };
  const auto lead_line = [](const std::string& text) {
    const std::size_t start = text.find("Lead over");
    return start == std::string::npos ? std::string() : text.substr(start, text.find('\n', start) - start);
  };
  const std::string near_tie = lead_line(reevaluation_text({summary(199, 0.8188, 0.0062, 20), summary(170, 0.8184, 0.0063, 20)}));
  EXPECT_NE(near_tie.find("Lead over trial 170: 0.0004 mean val_acc, 0.2 standard errors"), std::string::npos) << near_tie;
  EXPECT_NE(near_tie.find("do not tell the two apart"), std::string::npos) << near_tie;

  // 0.0200 against sqrt(2 * 0.005^2 / 19) = 0.0016: 12.3 standard errors, a ranking the repeats support.
  const std::string clear = lead_line(reevaluation_text({summary(4, 0.8300, 0.0050, 20), summary(9, 0.8100, 0.0050, 20)}));
  EXPECT_NE(clear.find("Lead over trial 9: 0.0200 mean val_acc, 12.3 standard errors"), std::string::npos) << clear;
  EXPECT_EQ(clear.find("apart"), std::string::npos) << clear;

  // With a single repeat there is no spread to measure the lead against.
  const std::string single = lead_line(reevaluation_text({summary(4, 0.8300, 0, 1), summary(9, 0.8100, 0, 1)}));
  EXPECT_NE(single.find("no standard error"), std::string::npos) << single;
  // A lone re-evaluated trial has no runner-up, hence no lead.
  EXPECT_EQ(lead_line(reevaluation_text({summary(4, 0.8300, 0.0050, 20)})), "");
}

TEST_F(Reevaluation, ARepeatedCallTrainsOnlyTheRepeatsTheLogLacks) {
  const std::string run = searched();
  ReevaluateOptions options = options_for(run, 2, 2);
  reevaluate(options);
  const std::vector<ReevaluationRow> before = SearchLog::open(run, SearchLog::Mode::read_only).reevaluations();

  options.repeats = 3;
  const ReevaluateOutcome more = reevaluate(options);
  EXPECT_EQ(more.already_recorded, 4);
  EXPECT_EQ(more.trained, 2);
  const std::vector<ReevaluationRow> after = SearchLog::open(run, SearchLog::Mode::read_only).reevaluations();
  ASSERT_EQ(after.size(), 6u);
  // Repeats already recorded are kept as they were, not trained again.
  for (const ReevaluationRow& old : before) {
    const auto same = std::find_if(after.begin(), after.end(), [&](const ReevaluationRow& row) {
      return row.trial_id == old.trial_id && row.repeat == old.repeat;
    });
    ASSERT_NE(same, after.end());
    EXPECT_EQ(same->seed, old.seed);
    EXPECT_EQ(same->metrics.val_accuracy, old.metrics.val_accuracy);
  }
}

TEST_F(Reevaluation, ExportTakesTheBestMeanOverTheBestSingleTraining) {
  // NASNet cells export to TorchScript; the tiny test networks do not.
  const std::string run = searched({"space={name: nasnet, blocks: 2}", "budget.trials=3"});
  std::int64_t second = -1;
  {
    SearchLog log = SearchLog::open(run, SearchLog::Mode::read_write);
    const std::vector<TrialRow> top = log.top_trained_trials(2);
    ASSERT_EQ(top.size(), 2u);
    second = top[1].id;
    // The search's best was lucky: its repeats average below the runner-up's. One failed repeat
    // counts as failed, not as zero accuracy.
    ReevaluationRow row;
    row.trial_id = top[0].id;
    row.metrics.val_accuracy = 0.2;
    log.record_reevaluation(row);
    row.trial_id = second;
    row.metrics.val_accuracy = 0.3;
    log.record_reevaluation(row);
    row.repeat = 1;
    row.status = TrialStatus::failed;
    row.error = "out of time";
    log.record_reevaluation(row);
    EXPECT_THROW(log.record_reevaluation(row), Error);  // repeat 1 of that trial is already stored
  }
  const SearchLog log = SearchLog::open(run, SearchLog::Mode::read_only);
  const std::vector<ReevaluationSummary> summaries = summarise_reevaluations(log);
  ASSERT_EQ(summaries.size(), 2u);
  EXPECT_EQ(summaries[0].trial_id, second);
  EXPECT_EQ(summaries[0].done, 1);
  EXPECT_EQ(summaries[0].failed, 1);
  EXPECT_DOUBLE_EQ(summaries[0].val_accuracy_mean, 0.3);

  ExportOptions options;
  options.run_dir = run;
  options.out = dir("model.pt");
  EXPECT_EQ(export_model(options).trial_id, second);
}

TEST_F(Reevaluation, KeepsTheBestRepeatsWeightsSoThatAPrunedTrialStillExports) {
  // The search keeps the weights of its best trial only; the runner-up's are pruned.
  const std::string run = searched({"space={name: nasnet, blocks: 2}", "budget.trials=3", "evaluator.keep_weights=1"});
  const ReevaluateOutcome outcome = reevaluate(options_for(run, 2, 3));
  ASSERT_EQ(outcome.summaries.size(), 2u);
  const std::int64_t runner_up = SearchLog::open(run, SearchLog::Mode::read_only).top_trained_trials(2)[1].id;
  ASSERT_FALSE(std::filesystem::exists(KeptWeights::path(run, runner_up)));
  for (const ReevaluationSummary& summary : outcome.summaries) {
    // One file per trial: its best repeat's, the others deleted.
    for (int repeat = 0; repeat < 3; ++repeat)
      EXPECT_EQ(std::filesystem::exists(KeptWeights::reevaluated_path(run, summary.trial_id, repeat)),
                repeat == summary.best_repeat)
          << "trial " << summary.trial_id << " repeat " << repeat;
  }
  ExportOptions options;
  options.run_dir = run;
  options.out = dir("runner_up.pt");
  options.trial = runner_up;
  const ExportOutcome exported = export_model(options);
  const auto& summary = *std::find_if(outcome.summaries.begin(), outcome.summaries.end(),
                                      [&](const ReevaluationSummary& s) { return s.trial_id == runner_up; });
  EXPECT_EQ(exported.description["weights"]["source"],
            "re-evaluation repeat " + std::to_string(summary.best_repeat) + " (seed " +
                std::to_string(summary.best_repeat_seed) + ")");
}

TEST_F(Reevaluation, RefusesNonsenseCountsAndARunWithoutADoneTrial) {
  ReevaluateOptions options = options_for(dir("nowhere"), 0, 1);
  EXPECT_THROW(reevaluate(options), Error);
  options = options_for(dir("nowhere"), 1, 0);
  EXPECT_THROW(reevaluate(options), Error);
  options = options_for(dir("nowhere"), 1, 1);
  EXPECT_THROW(reevaluate(options), Error);  // no run there

  options.run_dir = searched({"space.outputs=[nan]", "budget.trials=2"});  // every trial fails
  try {
    reevaluate(options);
    FAIL() << "a run without a done trial was re-evaluated";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("has no done trial to re-evaluate"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nas
