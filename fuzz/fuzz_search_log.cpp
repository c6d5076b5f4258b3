// A search log as `nas inspect` and `nas resume` read it: the bytes are search.db of a run directory,
// opened read-only (header, integrity, format checks, migration of older formats) and read through
// every query those commands make. Seeds are real logs; the mutations damage pages and values.
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "experiments/log/search_log.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path run = nas::fuzz::scratch_folder() / "run";
  std::error_code ignored;
  std::filesystem::remove_all(run, ignored);
  std::filesystem::create_directories(run);
  nas::fuzz::write_scratch_file("run/search.db", std::string(reinterpret_cast<const char*>(data), size));
  nas::fuzz::expect_clean_refusal([&] {
    const nas::SearchLog log = nas::SearchLog::open(run.string(), nas::SearchLog::Mode::read_only);
    log.info();
    log.status_counts();
    log.trials();
    log.top_done_trials(10);
    log.top_trained_trials(3);
    log.best();
    log.latest_checkpoint();
    log.phases();
    log.exports();
    log.reevaluations();
  });
  return 0;
}
