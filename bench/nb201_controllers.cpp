// How good are the controllers? Runs each one on the NAS-Bench-201 table (every cell's trained
// accuracy known) for many seeds, as the field measures search strategies: the fitness is the
// validation accuracy (c10v_valid_acc200), the score after q queries is the CIFAR-10 test accuracy
// (c10_test_acc200) of the cell with the best validation accuracy among the first q. Every proposal
// counts as a query, repeats included, as trials do in `nas run`.
//
// Controllers are driven directly (ask, look up, tell), without the search log and the pool, which
// `nas run` adds around them: 100 seeds x 300 queries x 5 controllers is 150,000 trials.
//
// usage: nas_bench_nb201 [--table PATH] [--seeds N] [--first-seed S] [--queries 50,100,150,300] [--out DIR]
//                        [--controller LABEL='{name: rl, lr: 0.01}' ...]  (replaces the default list)
// Settings are tuned with --first-seed 1000 and reported with seeds 0..99, so the figures are not
// measured on the seeds the settings were chosen on.
// writes DIR/nb201_controllers.csv (every run's score at every budget), DIR/nb201_summary.csv
// (mean, std, standard error per controller and budget) and DIR/nb201_controllers.html (the plot).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "bench/flag_values.hpp"
#include "core/error.hpp"
#include "experiments/report/svg_plot.hpp"
#include "experiments/run/experiment.hpp"

namespace {

struct ControllerUnderTest {
  std::string label;
  std::string section;  // the experiment's controller section, YAML flow style
};

// Settings: REA as in the NB201 paper (population 10, tournament 3). REINFORCE: the LSTM with ENAS/GraphNAS's
// temperature 5 and tanh constant 2.5, and lr 0.01 (the NASNet default 0.00035 barely moves a policy in
// 150 updates); chosen among six settings on seeds 1000..1029 (see bench/README.md). PPO: the defaults.
std::vector<ControllerUnderTest> default_controllers() {
  return {
      {"random", "{name: random}"},
      {"evolution", "{name: evolution, population: 10, tournament: 3}"},
      {"rl-reinforce", "{name: rl, algorithm: reinforce, lr: 0.01, temperature: 5, tanh_constant: 2.5}"},
      {"rl-ppo", "{name: rl, algorithm: ppo}"},
  };
}

constexpr const char* kFitness = "c10v_valid_acc200";
constexpr const char* kScore = "c10_test_acc200";

std::string experiment_text(const ControllerUnderTest& controller, const std::string& table, int seed) {
  return "name: nb201-bench\nseed: " + std::to_string(seed) + "\nspace: {name: nb201}\ncontroller: " +
         controller.section + "\nevaluator: {name: tabular, table: " + table + ", fitness: " + kFitness +
         ", report: [" + kScore + "], workers: 1}\n";
}

// Score (test accuracy in %) after each number of queries 1..max_queries.
std::vector<double> run_once(const ControllerUnderTest& controller, const std::string& table, int seed,
                             int max_queries) {
  nas::Experiment experiment = nas::load_experiment(experiment_text(controller, table, seed), "nb201 bench");
  std::vector<double> score;
  double best_fitness = -1, best_score = 0;
  for (int query = 0; query < max_queries; ++query) {
    nas::Trial trial;
    trial.id = query;
    trial.seed = static_cast<std::uint64_t>(query);
    trial.arch = experiment.controller->propose();
    trial.metrics = experiment.evaluator->evaluate(nas::TrialRequest{trial.id, trial.arch, trial.seed, "", nullptr}).metrics;
    trial.status = nas::TrialStatus::done;
    experiment.controller->observe(trial);
    if (trial.metrics.val_accuracy > best_fitness) {
      best_fitness = trial.metrics.val_accuracy;
      best_score = 100.0 * trial.metrics.reported.at(kScore);
    }
    score.push_back(best_score);
  }
  return score;
}

struct Stats {
  double mean = 0, std = 0, stderr_ = 0;
};

Stats stats_of(const std::vector<double>& values) {
  Stats s;
  for (double v : values) s.mean += v;
  s.mean /= static_cast<double>(values.size());
  for (double v : values) s.std += (v - s.mean) * (v - s.mean);
  s.std = values.size() > 1 ? std::sqrt(s.std / static_cast<double>(values.size() - 1)) : 0;
  s.stderr_ = s.std / std::sqrt(static_cast<double>(values.size()));
  return s;
}

std::vector<int> parse_list(const std::string& flag, const std::string& text) {
  std::vector<int> values;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) values.push_back(nas_bench::whole_number(flag, item, 1));
  if (values.empty()) throw nas_bench::UsageError(flag + ": needs at least one query budget, e.g. 50,100");
  return values;
}

}  // namespace

int main(int argc, char** argv) try {
  std::string table = "../shared/datasets/nasbench201/nb201.csv", out = "bench/results";
  int seeds = 100, first_seed = 0;
  std::vector<ControllerUnderTest> chosen;
  std::vector<int> budgets = {50, 100, 150, 300};
  const char* const usage =
      "nas_bench_nb201 [--table CSV] [--seeds N] [--first-seed S] [--queries Q1,Q2,...] [--out DIR] "
      "[--controller LABEL=SECTION]...";
  for (const auto& [flag, value] : nas_bench::flag_values(argc, argv, usage)) {
    if (flag == "--table") table = value;
    else if (flag == "--seeds") seeds = nas_bench::whole_number(flag, value, 1);
    else if (flag == "--queries") budgets = parse_list(flag, value);
    else if (flag == "--out") out = value;
    else if (flag == "--first-seed") first_seed = nas_bench::whole_number(flag, value);
    else if (flag == "--controller") {
      if (value.find('=') == std::string::npos)
        throw nas_bench::UsageError(flag + ": '" + value + "' is not LABEL=SECTION, e.g. \"rea={name: evolution}\"");
      chosen.push_back({value.substr(0, value.find('=')), value.substr(value.find('=') + 1)});
    } else throw nas_bench::UsageError("unknown flag " + flag + "\nusage: " + usage);
  }
  const int max_queries = *std::max_element(budgets.begin(), budgets.end());
  const std::vector<ControllerUnderTest> list = chosen.empty() ? default_controllers() : chosen;
  auto controllers = [&]() -> const std::vector<ControllerUnderTest>& { return list; };
  std::filesystem::create_directories(out);

  // runs[controller][seed][query - 1]
  std::map<std::string, std::vector<std::vector<double>>> runs;
  std::ofstream per_run(out + "/nb201_controllers.csv");
  per_run << "controller,seed";
  for (int q : budgets) per_run << ",test_acc_at_" << q;
  per_run << "\n";
  for (const auto& controller : controllers()) {
    const auto started = std::chrono::steady_clock::now();
    for (int seed = first_seed; seed < first_seed + seeds; ++seed) {
      runs[controller.label].push_back(run_once(controller, table, seed, max_queries));
      per_run << controller.label << "," << seed;
      for (int q : budgets) per_run << "," << runs[controller.label].back()[q - 1];
      per_run << "\n";
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cerr << controller.label << ": " << seeds << " runs of " << max_queries << " queries in " << std::fixed
              << std::setprecision(1) << seconds << " s\n";
  }

  auto at = [&](const std::string& label, int q) {
    std::vector<double> values;
    for (const auto& run : runs[label]) values.push_back(run[q - 1]);
    return stats_of(values);
  };
  std::ofstream summary(out + "/nb201_summary.csv");
  summary << "controller,queries,runs,mean,std,stderr\n";
  std::cout << "NAS-Bench-201, CIFAR-10 test accuracy (%) of the best-by-validation cell, mean +- std (stderr) over "
            << seeds << " seeds\n";
  std::cout << std::left << std::setw(14) << "queries";
  for (int q : budgets) std::cout << std::setw(24) << q;
  std::cout << "\n";
  for (const auto& controller : controllers()) {
    std::cout << std::setw(14) << controller.label;
    for (int q : budgets) {
      const Stats s = at(controller.label, q);
      summary << controller.label << "," << q << "," << seeds << "," << s.mean << "," << s.std << "," << s.stderr_
              << "\n";
      std::ostringstream cell;
      cell << std::fixed << std::setprecision(2) << s.mean << " +- " << s.std << " (" << s.stderr_ << ")";
      std::cout << std::setw(24) << cell.str();
    }
    std::cout << "\n";
  }
  // Each controller against random search, at each budget: the difference of means and its standard error.
  std::cout << "\ndifference to random search (stderr of the difference):\n";
  for (const auto& controller : controllers()) {
    if (controller.label == "random" || !runs.count("random")) continue;
    std::cout << std::setw(14) << controller.label;
    for (int q : budgets) {
      const Stats a = at(controller.label, q), r = at("random", q);
      std::ostringstream cell;
      cell << std::showpos << std::fixed << std::setprecision(2) << a.mean - r.mean << std::noshowpos << " ("
           << std::sqrt(a.stderr_ * a.stderr_ + r.stderr_ * r.stderr_) << ")";
      std::cout << std::setw(24) << cell.str();
    }
    std::cout << "\n";
  }

  nas::SvgPlot plot("NAS-Bench-201: test accuracy of the best-by-validation cell (mean, band: +- stderr)",
                    nas::PlotAxis{"queries", nas::AxisScale::linear, true},
                    nas::PlotAxis{"CIFAR-10 test accuracy (%)", nas::AxisScale::linear, false});
  int index = 0;
  for (const auto& controller : controllers()) {
    std::vector<nas::PlotPoint> mean, low, high;
    for (int q = 5; q <= max_queries; ++q) {
      const Stats s = at(controller.label, q);
      mean.push_back({static_cast<double>(q), s.mean, ""});
      low.push_back({static_cast<double>(q), s.mean - s.stderr_, ""});
      high.push_back({static_cast<double>(q), s.mean + s.stderr_, ""});
    }
    const std::string css = "c" + std::to_string(index++);
    plot.add_band(low, high, css + " band");
    plot.add_line(mean, css + " line", controller.label);
  }
  std::ofstream html(out + "/nb201_controllers.html");
  html << "<!doctype html><html><head><meta charset=\"utf-8\"><title>NAS-Bench-201 controllers</title><style>\n"
          "body{font-family:sans-serif} .frame{fill:none;stroke:#888} .grid{stroke:#eee} .tick,.legend{font-size:11px}"
          " .title{font-size:13px;font-weight:bold}\n"
          ".c0{stroke:#777;fill:#777} .c1{stroke:#d62728;fill:#d62728} .c2{stroke:#1f77b4;fill:#1f77b4}"
          " .c3{stroke:#2ca02c;fill:#2ca02c} .c4{stroke:#9467bd;fill:#9467bd}\n"
          // After the colours, which would otherwise fill the lines too.
          "path.line{fill:none;stroke-width:2} path.band{stroke:none;opacity:.25}\n"
          "</style></head><body>\n"
       << plot.render(900, 520) << "</body></html>\n";
  std::cerr << "wrote " << out << "/nb201_controllers.csv, nb201_summary.csv, nb201_controllers.html\n";
  return 0;
} catch (const nas_bench::UsageError& e) {
  return nas_bench::report("nas_bench_nb201", e);
} catch (const std::exception& e) {
  std::cerr << "nas_bench_nb201: error: " << e.what() << "\n";
  return 1;
}
