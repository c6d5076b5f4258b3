// How fast does einspace sample and mutate? Samples architectures at 3x32x32 (10 classes) with the
// paper's default grammar (p(M -> C) = 0.32, every terminal, depth limit 100) for a fixed wall time on
// one thread, shapes inferred analytically, then mutates sampled ones for the same time, and prints
// architectures per second. Given the official repository (--official DIR), runs
// bench/einspace_official_rate.py after it (--official-seconds per mode) and prints the ratios.
//
// usage: nas_bench_einspace [--seconds S] [--max-nodes N] [--official DIR] [--official-seconds S]
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "bench/flag_values.hpp"
#include "core/config_node.hpp"
#include "core/json.hpp"
#include "core/rng.hpp"
#include "search_spaces/search_space.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 20;
  double official_seconds = 300;
  std::string official;
  std::string max_nodes;  // empty: the space's default
  const char* const usage = "nas_bench_einspace [--seconds S] [--max-nodes N] [--official DIR] [--official-seconds S]";
  try {
    for (const auto& [flag, value] : nas_bench::flag_values(argc, argv, usage)) {
      if (flag == "--seconds") seconds = nas_bench::positive_number(flag, value);
      else if (flag == "--official") official = value;
      else if (flag == "--official-seconds") official_seconds = nas_bench::positive_number(flag, value);
      else if (flag == "--max-nodes") max_nodes = value;
      else throw nas_bench::UsageError("unknown flag " + flag + "\nusage: " + usage);
    }
  } catch (const nas_bench::UsageError& e) {
    return nas_bench::report("nas_bench_einspace", e);
  }
  torch::set_num_threads(1);
  const nas::TaskShape task{3, 32, 32, 10};
  const nas::ConfigNode root = nas::ConfigNode::parse(
      "space: {name: einspace" + (max_nodes.empty() ? "" : ", max_nodes: " + max_nodes) + "}", "bench");
  const auto space = nas::make_search_space(root.section("space"), &task);
  nas::Rng rng(0);
  nas::RandomPolicy policy(rng);

  std::vector<nas::Architecture> sampled;
  std::size_t choices = 0, largest = 0;  // a tree's nodes are its choices, one per node
  auto start = Clock::now();
  while (seconds_since(start) < seconds) {
    sampled.push_back(space->sample(policy));
    choices += sampled.back().choices().size();
    largest = std::max(largest, sampled.back().choices().size());
  }
  const double sample_seconds = seconds_since(start);
  const double sample_rate = sampled.size() / sample_seconds;

  std::size_t mutations = 0;
  start = Clock::now();
  while (seconds_since(start) < seconds) {
    space->mutate(sampled[rng.index(sampled.size())], rng);
    ++mutations;
  }
  const double mutation_rate = mutations / seconds_since(start);

  std::cout << "einspace at 3x32x32, one thread, default grammar (p(M->C) = 0.32, all terminals):\n"
            << "  sampled   " << sampled.size() << " architectures in " << sample_seconds << " s: " << sample_rate
            << " per second (mean " << static_cast<double>(choices) / sampled.size() << " tree nodes, largest "
            << largest << ")\n"
            << "  mutated   " << mutations << " in " << seconds << " s: " << mutation_rate << " per second\n";
  if (!official.empty()) {
    // The official rate script prints one JSON line; its per_second goes beside ours as a ratio.
    const double ours[] = {sample_rate, mutation_rate};
    int index = 0;
    for (const char* mode : {"sample", "mutate"}) {
      const std::string command = "/usr/bin/python3 bench/einspace_official_rate.py --official '" + official +
                                  "' --seconds " + std::to_string(official_seconds) + " --mode " + mode;
      std::cout << "official (" << mode << "): " << command << "\n" << std::flush;
      FILE* pipe = popen(command.c_str(), "r");
      std::string line, last_json;
      char buffer[4096];
      while (pipe && std::fgets(buffer, sizeof buffer, pipe)) {
        line = buffer;
        std::cout << "  " << line << std::flush;
        if (!line.empty() && line[0] == '{') last_json = line;
      }
      if (!pipe || pclose(pipe) != 0 || last_json.empty()) {
        std::cerr << "the official measurement failed\n";
        ++index;
        continue;
      }
      const double theirs = nas::Json::parse(last_json).at("per_second").get<double>();
      std::cout << "  " << mode << ": ours " << ours[index] << " per second, official " << theirs
                << " per second: ours / official = "
                << (theirs > 0 ? std::to_string(ours[index] / theirs) : std::string("inf (none completed)")) << "\n";
      ++index;
    }
  }
  return 0;
}
