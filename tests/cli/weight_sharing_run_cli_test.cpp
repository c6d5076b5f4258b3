// A weight-sharing run as a user drives it: the supernet phase, a constrained evolutionary search
// scored with inherited weights, the best sub-networks retrained; and the experiment files it refuses.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/json.hpp"
#include "nas_process.hpp"
#include "experiments/log/search_log.hpp"
#include "tests/support/scratch.hpp"

namespace nas {
namespace {

using testing::nas_command;
using testing::Outcome;

constexpr std::int64_t kMaddsMax = 2000000;

class WeightSharingRun : public testing::ScratchDirTest {
 protected:
  static std::string tiny_vit(const std::string& out) {
    return "run " NAS_SOURCE_DIR "/experiments/examples/vit_resnas_fashion_mnist.yaml --quiet --out " + out +
           " --set dataset.train_subset=512 --set dataset.validation=256 --set supernet.epochs=1"
           " --set budget.trials=12 --set controller.population=4 --set controller.parents=2"
           " --set controller.mutants=2 --set controller.crossovers=2 --set retrain.top=2"
           " --set retrain.epochs=1 --set retrain.max_steps=4 --set evaluator.workers=1"
           " --set constraints.madds_max=" + std::to_string(kMaddsMax);
  }
};

TEST_F(WeightSharingRun, EveryPhaseRunsAndNoTrialOutsideTheConstraintsIsScored) {
  const std::string run_dir = dir("vit");
  const Outcome run = nas_command(tiny_vit(run_dir));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const SearchLog log = SearchLog::open(run_dir, SearchLog::Mode::read_only);
  std::vector<std::string> phases;
  for (const PhaseRow& phase : log.phases()) {
    phases.push_back(phase.name);
    EXPECT_EQ(phase.status, PhaseStatus::done) << phase.name;
  }
  EXPECT_EQ(phases, (std::vector<std::string>{"supernet", "search", "retrain"}));
  const std::vector<TrialRow> trials = log.trials();
  ASSERT_EQ(trials.size(), 12u);
  for (const TrialRow& row : trials) {
    ASSERT_EQ(row.status, TrialStatus::done) << row.error;
    EXPECT_LE(row.metrics->madds, kMaddsMax) << "trial " << row.id;
  }
  const Outcome shown = testing::nas_stdout("inspect " + run_dir);
  EXPECT_NE(shown.output.find("Supernet training (1 epochs)"), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("Kendall tau"), std::string::npos) << shown.output;
  EXPECT_NE(run.output.find("Kendall tau"), std::string::npos) << run.output;
}

TEST_F(WeightSharingRun, AResumeAskingForMoreRetrainingsTrainsOnlyTheMissingOnes) {
  const std::string run_dir = dir("vit");
  ASSERT_EQ(nas_command(tiny_vit(run_dir) + " --set retrain.top=1").exit_code, 0);
  auto retrained = [&] {
    for (const PhaseRow& phase : SearchLog::open(run_dir, SearchLog::Mode::read_only).phases())
      if (phase.name == "retrain") return phase.state.at("retrained");
    return Json();
  };
  const Json first = retrained();
  ASSERT_EQ(first.size(), 1u);
  const Outcome resumed = nas_command("resume " + run_dir + " --quiet --set retrain.top=3");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const Json after = retrained();
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[0], first[0]);  // the first training stands, untouched
}

TEST_F(WeightSharingRun, ASupernetSectionWithAnEvaluatorThatTrainsNoSupernetIsRefused) {
  const std::string out = dir("refused");
  const Outcome refused = nas_command("run " NAS_SOURCE_DIR "/experiments/examples/nb201_spos_fashion_mnist.yaml "
                                      "--quiet --out " + out + " --set evaluator.name=train");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("supernet"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("inherited"), std::string::npos) << refused.output;
  EXPECT_FALSE(std::filesystem::exists(out + "/search.db"));
}

TEST_F(WeightSharingRun, AReevaluationOfInheritedScoresIsRefusedPointingToRetrain) {
  const Outcome refused =
      nas_command("run " NAS_SOURCE_DIR "/experiments/examples/nb201_spos_fashion_mnist.yaml --quiet --out " +
                  dir("refused") + " --set reevaluate.top=2 --set reevaluate.repeats=2");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("retrain:"), std::string::npos) << refused.output;
}

TEST_F(WeightSharingRun, TheInheritedEvaluatorNeedsASpaceWithASupernet) {
  const Outcome refused = nas_command("run " NAS_SOURCE_DIR "/experiments/examples/quickstart.yaml --quiet --out " +
                                      dir("refused") + " --set evaluator.name=inherited");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("offers none"), std::string::npos) << refused.output;
}

}  // namespace
}  // namespace nas
