#include "experiments/log/kept_weights.hpp"

#include <filesystem>
#include <regex>

#include "experiments/log/search_log.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWeightsFolder = "weights";

}  // namespace

KeptWeights::KeptWeights(std::string run_dir, int keep) : run_dir_(std::move(run_dir)), keep_(keep) {}

std::string KeptWeights::path(const std::string& run_dir, std::int64_t trial_id) {
  return (fs::path(run_dir) / kWeightsFolder / ("trial-" + std::to_string(trial_id) + ".pt")).string();
}

std::string KeptWeights::reevaluated_path(const std::string& run_dir, std::int64_t trial_id, int repeat) {
  return (fs::path(run_dir) / kWeightsFolder /
          ("reevaluated-trial-" + std::to_string(trial_id) + "-repeat-" + std::to_string(repeat) + ".pt"))
      .string();
}

std::string KeptWeights::retrained_path(const std::string& run_dir, std::int64_t trial_id) {
  return (fs::path(run_dir) / kWeightsFolder / ("retrained-trial-" + std::to_string(trial_id) + ".pt")).string();
}

std::string KeptWeights::file_for(std::int64_t trial_id) const {
  return keep_ > 0 ? path(run_dir_, trial_id) : std::string();
}

void KeptWeights::prune(const SearchLog& log, const std::set<std::int64_t>& training) const {
  const fs::path folder = fs::path(run_dir_) / kWeightsFolder;
  std::error_code error;
  if (!fs::is_directory(folder, error)) return;
  std::set<std::int64_t> wanted = training;
  for (const TrialRow& row : log.top_trained_trials(keep_)) wanted.insert(row.id);
  static const std::regex kName(R"(trial-(\d+)\.pt(\.partial)?)");
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    std::smatch match;
    const std::string name = entry.path().filename().string();
    // Whole names only: reevaluated-trial-*.pt and retrained-trial-*.pt, and files not ours, stay.
    if (!std::regex_match(name, match, kName)) continue;
    if (!wanted.count(std::stoll(match[1].str()))) fs::remove(entry.path(), error);
  }
}

}  // namespace nas
