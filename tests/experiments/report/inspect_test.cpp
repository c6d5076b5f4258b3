#include "experiments/report/inspect.hpp"

#include <sstream>

#include "tests/support/search_log_fixture.hpp"

namespace nas {
namespace {

using log_test::done_trial;
using log_test::failed_trial;
using log_test::make_arch;
using log_test::make_run_info;

std::vector<std::string> keys_of(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

class InspectTest : public log_test::ScratchDirTest {
 protected:
  // Trials 0 done 0.80, 1 failed, 2 done 0.90 (long genotype), 3 reuses 2, 4 running, 5 pending.
  SearchLog make_log() {
    SearchLog log = SearchLog::create(dir("run"), make_run_info());
    log_test::add_mixed_trials(log, "sep3x3 " + std::string(300, 'c'), "loss became NaN");
    return log;
  }
};

TEST_F(InspectTest, JsonHasTheDocumentedShape) {
  make_log();
  const SearchLog log = SearchLog::open(dir("run"), SearchLog::Mode::read_only);
  const Json report = inspect_json(log);

  EXPECT_EQ(keys_of(report),
            (std::vector<std::string>{"experiment", "phases", "trials", "best", "exports", "reevaluations"}));
  EXPECT_EQ(report["phases"], Json::array()) << "a log made by hand records no phase";
  EXPECT_EQ(report["exports"], Json::array()) << "no model exported yet";
  EXPECT_EQ(report["reevaluations"], Json::array()) << "nothing re-evaluated yet";
  EXPECT_EQ(report["experiment"], make_run_info().experiment_json);
  ASSERT_EQ(report["trials"].size(), 6u);
  const std::vector<std::string> trial_keys{"id", "status", "arch", "metrics", "error", "reused_from", "trained_on"};
  for (const auto& trial : report["trials"]) {
    EXPECT_EQ(keys_of(trial), trial_keys);
    EXPECT_EQ(keys_of(trial["arch"]),
              (std::vector<std::string>{"space", "hash", "choices", "genotype"}));
  }

  const Json& done = report["trials"][0];
  EXPECT_EQ(done["id"], 0);
  EXPECT_EQ(done["status"], "done");
  EXPECT_EQ(done["arch"], make_arch("a").to_json());
  EXPECT_EQ(keys_of(done["metrics"]),
            (std::vector<std::string>{"val_accuracy", "val_loss", "params", "madds", "train_seconds"}));
  EXPECT_DOUBLE_EQ(done["metrics"]["val_accuracy"].get<double>(), 0.80);
  EXPECT_EQ(done["metrics"]["params"], 1000);
  EXPECT_TRUE(done["error"].is_null());
  EXPECT_TRUE(done["reused_from"].is_null());
  EXPECT_TRUE(done["trained_on"].is_null()) << "trained on the machine that ran the search";

  const Json& failed = report["trials"][1];
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_TRUE(failed["metrics"].is_null());
  EXPECT_EQ(failed["error"], "loss became NaN");

  EXPECT_EQ(report["trials"][3]["reused_from"], 2);
  EXPECT_EQ(report["trials"][4]["status"], "running");
  EXPECT_TRUE(report["trials"][4]["metrics"].is_null());
  EXPECT_EQ(report["trials"][5]["status"], "pending");
  EXPECT_TRUE(report["trials"][5]["metrics"].is_null());

  EXPECT_EQ(report["best"], report["trials"][2]);
}

TEST_F(InspectTest, JsonBestIsNullWithoutDoneTrials) {
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  log.add_trial(make_arch("a"), 1);
  const Json report = inspect_json(log);
  EXPECT_TRUE(report["best"].is_null());
  EXPECT_EQ(report["trials"].size(), 1u);
}

TEST_F(InspectTest, TextSummarisesTheRun) {
  const SearchLog log = make_log();
  const std::string text = inspect_text(log, 10);

  EXPECT_NE(text.find("Experiment: log-test"), std::string::npos) << text;
  EXPECT_NE(text.find("Status:     running"), std::string::npos) << text;
  EXPECT_NE(text.find("3 done, 1 failed, 1 pending, 1 running"), std::string::npos) << text;
  EXPECT_NE(text.find("Best:       trial 2: val_acc 0.9000"), std::string::npos) << text;
  EXPECT_NE(text.find("Top 3 of 3 done trials"), std::string::npos) << text;
  EXPECT_NE(text.find("val_acc"), std::string::npos) << text;
  EXPECT_NE(text.find("sep3x3 ccc"), std::string::npos) << text;
  EXPECT_NE(text.find("cccc..."), std::string::npos) << "the long genotype is cut: " << text;

  std::istringstream lines(text);
  std::vector<std::string> table;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 120u) << line;
    if (line.rfind("     ", 0) == 0) table.push_back(line);  // rows start with the padded id
  }
  ASSERT_EQ(table.size(), 3u) << text;
  EXPECT_EQ(text.find("Trained more than once"), std::string::npos) << "a reuse is no second training: " << text;
  EXPECT_EQ(table[0].substr(0, 6), "     2");
  EXPECT_EQ(table[1].substr(0, 6), "     3");
  EXPECT_EQ(table[2].substr(0, 6), "     0");
}

TEST_F(InspectTest, TextGivesTheMeanOfAnArchitectureTrainedMoreThanOnce) {
  // A confirming climb trained `a` three times: the table ranks its lucky 0.86, the mean is 0.80.
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  const Architecture a = make_arch("a"), b = make_arch("b");
  const Architecture order[] = {a, b, a, a};
  const double accuracies[] = {0.86, 0.82, 0.74, 0.80};
  for (int i = 0; i < 4; ++i) {
    log.add_trial(order[i], i);
    log.finish_trial(done_trial(i, order[i], accuracies[i]), Checkpoint{Json::object()});
  }
  const std::string text = inspect_text(log, 10);
  EXPECT_NE(text.find("Trained more than once, mean val_acc of the trainings:\n"
                      "  trial 0: 0.8000 over 3 trainings (trials 0, 2, 3)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("trial 1: 0.8200"), std::string::npos) << "b trained once: " << text;
  EXPECT_EQ(text.find("trial 3: "), std::string::npos) << "each architecture once: " << text;
}

TEST_F(InspectTest, TextWithoutResultsHasNoTable) {
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  log.add_trial(make_arch("a"), 1);
  const std::string text = inspect_text(log, 10);
  EXPECT_NE(text.find("Best:       none yet"), std::string::npos) << text;
  EXPECT_EQ(text.find("Top"), std::string::npos) << text;
}

}  // namespace
}  // namespace nas
