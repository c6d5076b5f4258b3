// The experiment file and its --set overrides, as `nas run FILE --set ...` reads them: parsed, checked,
// and made into the space, controller and evaluator (which loads its data). Input: the YAML text, then
// after a NUL byte the overrides, one per line. Relative paths are read from ../shared/datasets.
#include <cstddef>
#include <cstdint>
#include <sstream>

#include "experiments/run/experiment.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = nas::fuzz::split_at_nul(std::string(reinterpret_cast<const char*>(data), size), 2);
  std::vector<std::string> overrides;
  if (parts.size() == 2) {
    std::istringstream lines(parts[1]);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) overrides.push_back(line);
  }
  nas::fuzz::expect_clean_refusal(
      [&] { nas::load_experiment(parts[0], "fuzz.yaml", overrides, NAS_SHARED_DIR "/datasets"); });
  return 0;
}
