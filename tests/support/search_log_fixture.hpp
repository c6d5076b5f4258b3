#pragma once
// What the search log and inspect tests share: a scratch directory per test, and architectures,
// run descriptions and trial results made up directly, with no search space behind them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "../support/scratch.hpp"
#include "core/architecture.hpp"
#include "core/trial.hpp"
#include "experiments/log/search_log.hpp"

namespace nas::log_test {

using testing::ScratchDirTest;

inline std::string file_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A run written by the format-2 program, committed under tests/fixtures/format2-run (its README says
// how it was made). Never to be opened in place: see copy_format2_run.
inline std::string format2_run_fixture() { return std::string(NAS_SOURCE_DIR) + "/tests/fixtures/format2-run"; }

// Copies the format-2 run's search.db into `dir` (created), so that a test opens, and may write, a copy:
// even a reader can leave -wal and -shm files beside a log, and the committed one must stay as it is.
inline std::string copy_format2_run(const std::string& dir) {
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(format2_run_fixture() + "/search.db", dir + "/search.db",
                             std::filesystem::copy_options::overwrite_existing);
  return dir;
}

// Distinct `name`s give distinct canonical strings, hence distinct hashes.
inline Architecture make_arch(const std::string& name, const std::string& short_form = "") {
  Json genotype = {{"cell", name}, {"short", short_form.empty() ? "cell " + name : short_form}};
  return Architecture("test_space", {Choice{"cell", 0, name}}, genotype, "test_space/" + name);
}

inline RunInfo make_run_info() {
  RunInfo info;
  info.name = "log-test";
  info.seed = 42;
  info.experiment_text = "name: log-test\nseed: 42\n";
  info.experiment_json = Json{{"name", "log-test"}, {"seed", 42}};
  info.experiment_hash = stable_hash_hex(info.experiment_json.dump());
  return info;
}

inline Trial done_trial(std::int64_t id, const Architecture& arch, double val_accuracy) {
  Trial trial;
  trial.id = id;
  trial.arch = arch;
  trial.status = TrialStatus::done;
  trial.metrics = TrialMetrics{val_accuracy, 1.0 - val_accuracy, 1000 + id, 2'000'000 + id, 12.5, {}};
  return trial;
}

inline Trial failed_trial(std::int64_t id, const Architecture& arch, const std::string& error) {
  Trial trial;
  trial.id = id;
  trial.arch = arch;
  trial.status = TrialStatus::failed;
  trial.error = error;
  return trial;
}

// One trial in each situation a reader must show: done (0), failed (1, with `failure`), done with the
// best accuracy (2, short form `best_short`), reused from trial 2 (3), running (4) and pending (5).
inline void add_mixed_trials(SearchLog& log, const std::string& best_short, const std::string& failure) {
  const Architecture a = make_arch("a"), b = make_arch("b"), c = make_arch("c", best_short);
  log.add_trial(a, 1);
  log.finish_trial(done_trial(0, a, 0.80), Checkpoint{Json::object()});
  log.add_trial(b, 2);
  log.finish_trial(failed_trial(1, b, failure), Checkpoint{Json::object()});
  log.add_trial(c, 3);
  log.finish_trial(done_trial(2, c, 0.90), Checkpoint{Json::object()});
  Trial reuse = done_trial(log.add_trial(c, 4), c, 0.90);
  reuse.reused_from = 2;
  log.finish_trial(reuse, Checkpoint{Json::object()});
  log.mark_running(log.add_trial(make_arch("d"), 5));
  log.add_trial(make_arch("e"), 6);
}

}  // namespace nas::log_test
