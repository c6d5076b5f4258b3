// The sentence a seeded search ends with: whether any trial beat the architectures it started from.
#include "experiments/run/seed_verdict.hpp"

#include <optional>

#include "tests/support/search_log_fixture.hpp"

namespace nas::log_test {
namespace {

class SeedVerdictTest : public ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    log_.emplace(SearchLog::create(dir("run"), make_run_info()));
  }

  void finish(const Architecture& arch, double val_accuracy) {
    const std::int64_t id = log_->add_trial(arch, 1);
    log_->finish_trial(done_trial(id, arch, val_accuracy), Checkpoint{Json::object()});
  }

  std::optional<SearchLog> log_;
  const Architecture seed_ = make_arch("resnet");
  const std::vector<SeedArchitecture> seeds_{{"resnet18", seed_}};
};

TEST_F(SeedVerdictTest, NamesTheTrialThatBeatTheSeedAndTheMargin) {
  finish(seed_, 0.80);
  finish(make_arch("child1"), 0.78);
  finish(make_arch("child2"), 0.83);
  EXPECT_EQ(seed_verdict(seeds_, *log_),
            "trial 2 (val_accuracy 0.8300) beat seed resnet18 (trial 0, val_accuracy 0.8000) by 0.0300");
}

TEST_F(SeedVerdictTest, SaysWhenNoTrialBeatTheSeedAndHowCloseTheBestCame) {
  finish(seed_, 0.80);
  finish(make_arch("child1"), 0.78);
  // A repeat of the seed is not a trial that beat it, even when it lands on the same accuracy.
  Trial reuse = done_trial(log_->add_trial(seed_, 2), seed_, 0.80);
  reuse.reused_from = 0;
  log_->finish_trial(reuse, Checkpoint{Json::object()});
  finish(make_arch("child2"), 0.80);  // a tie does not beat it
  EXPECT_EQ(seed_verdict(seeds_, *log_),
            "no trial beat seed resnet18 (trial 0, val_accuracy 0.8000); the best other trial, 3, reached 0.8000");
}

TEST_F(SeedVerdictTest, ComparesWithTheBestOfSeveralSeedsAndReportsSeedsThatNeverTrained) {
  const Architecture vit = make_arch("vit");
  const std::vector<SeedArchitecture> seeds{{"resnet18", seed_}, {"vit", vit}};
  EXPECT_EQ(seed_verdict(seeds, *log_), "no seed (resnet18, vit) trained successfully, so there is nothing to compare against");
  finish(seed_, 0.70);
  finish(vit, 0.75);
  finish(make_arch("child"), 0.72);
  EXPECT_EQ(seed_verdict(seeds, *log_),
            "no trial beat seed vit (trial 1, val_accuracy 0.7500); the best other trial, 2, reached 0.7200");
  EXPECT_EQ(seed_verdict({}, *log_), "");
}

}  // namespace
}  // namespace nas::log_test
