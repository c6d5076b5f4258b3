// The weights a run keeps for `nas export`: those of its best trials, and nothing left over.
#include "experiments/log/kept_weights.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include "tests/support/search_log_fixture.hpp"

namespace nas {
namespace {

using log_test::done_trial;
using log_test::make_arch;
using log_test::make_run_info;

class KeptWeightsTest : public log_test::ScratchDirTest {
 protected:
  void touch(const std::string& path) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << "weights";
  }
  std::set<std::string> files() {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir("run") + "/weights"))
      names.insert(entry.path().filename().string());
    return names;
  }
};

TEST_F(KeptWeightsTest, KeepsTheBestTrialsAndThoseTrainingAndDeletesTheRest) {
  SearchLog log = SearchLog::create(dir("run"), make_run_info());
  const KeptWeights kept(dir("run"), 2);
  const double accuracies[] = {0.5, 0.9, 0.7, 0.6};
  for (int id = 0; id < 4; ++id) {
    const Architecture arch = make_arch(std::to_string(id));
    log.add_trial(arch, id);
    log.finish_trial(done_trial(id, arch, accuracies[id]), Checkpoint{Json::object()});
    touch(kept.file_for(id));
  }
  // Trial 4 reuses trial 1's result: it has no file of its own and keeps trial 1's wanted.
  Trial reuse = done_trial(4, make_arch("1"), 0.9);
  reuse.reused_from = 1;
  log.add_trial(reuse.arch, 4);
  log.finish_trial(reuse, Checkpoint{Json::object()});
  touch(kept.file_for(5));                      // trial 5 is training: its file must survive
  touch(kept.file_for(6) + ".partial");          // a half-written file of a killed run
  touch(dir("run") + "/weights/notes.txt");      // not ours: left alone
  // Weights of the re-evaluation's best repeats and of the retrain phase's networks are not a search
  // trial's: pruning leaves them, whatever trial they belong to.
  touch(KeptWeights::reevaluated_path(dir("run"), 0, 2));
  touch(KeptWeights::retrained_path(dir("run"), 0));
  touch(KeptWeights::retrained_path(dir("run"), 3));

  kept.prune(log, {5});
  EXPECT_EQ(files(), (std::set<std::string>{"trial-1.pt", "trial-2.pt", "trial-5.pt", "notes.txt",
                                            "reevaluated-trial-0-repeat-2.pt", "retrained-trial-0.pt",
                                            "retrained-trial-3.pt"}));
}

TEST_F(KeptWeightsTest, KeepingNoneNamesNoFile) {
  EXPECT_EQ(KeptWeights(dir("run"), 0).file_for(3), "");
  EXPECT_EQ(KeptWeights(dir("run"), 1).file_for(3), dir("run") + "/weights/trial-3.pt");
  EXPECT_EQ(KeptWeights::retrained_path(dir("run"), 3), dir("run") + "/weights/retrained-trial-3.pt");
}

}  // namespace
}  // namespace nas
