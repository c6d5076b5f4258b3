// The NAS-Bench-201 table (CSV) as the tabular evaluator loads it.
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "evaluators/datasets/nb201_table.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = nas::fuzz::write_scratch_file("nb201.csv", std::string(reinterpret_cast<const char*>(data), size));
  // Loaded tables are shared by path, size and modification time: a time of its own per input makes
  // every input read afresh (and replaces the last one in the cache instead of adding to it).
  static std::int64_t input_number = 0;
  std::filesystem::last_write_time(path, std::filesystem::file_time_type(std::chrono::seconds(++input_number)));
  nas::fuzz::expect_clean_refusal([&] { nas::Nb201Table::load(path); });
  return 0;
}
