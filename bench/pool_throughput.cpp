// Does the evaluator pool pay off? Trains the same 12 candidates (random search, fixed seed) twice:
// with 2 workers x 1 thread and with 1 worker x 2 threads, and reports trials per hour for both,
// the time the run loop (controller, search log, pool bookkeeping) spends outside training, and the
// achieved FLOP/s against the matrix-multiply peak of the machine.
//
// usage: nas_bench_pool [EXPERIMENT.yaml] [--trials N]   (default experiments/examples/quickstart.yaml, 12)
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <unistd.h>

#include "bench/flag_values.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/run/run.hpp"

namespace {

// What the search phase measured (its summary, search_phase.hpp), and the FLOPs its trials trained.
struct Measured {
  std::string label;
  double trials = 0;
  double wall_seconds = 0;
  double trial_seconds = 0;
  double loop_seconds = 0;
  double flops = 0;
};

// Training FLOPs of one trial: forward + backward is about 3 forward passes, 2 FLOPs per multiply-add;
// validation is one forward pass per example.
double trial_flops(const nas::TrialRow& row, double train_examples, double val_examples, double epochs) {
  if (!row.metrics) return 0;
  const double madds = static_cast<double>(row.metrics->madds);
  return 2.0 * madds * (3.0 * train_examples * epochs + val_examples);
}

Measured measure(const std::string& file, int workers, int threads, int trials, const std::string& out) {
  std::vector<std::string> overrides = {"controller={name: random}",
                                        "budget.trials=" + std::to_string(trials),
                                        "budget.hours=0",
                                        "evaluator.workers=" + std::to_string(workers),
                                        "evaluator.threads_per_worker=" + std::to_string(threads)};
  nas::Experiment experiment = nas::load_experiment_file(file, overrides);
  nas::RunOptions options;
  options.dir = out;
  options.console.progress = &std::cerr;
  Measured measured;
  measured.label = std::to_string(workers) + " worker(s) x " + std::to_string(threads) + " thread(s)";
  const nas::Json effective = experiment.config.effective;
  const nas::Json search = nas::Run::start(std::move(experiment), options).go_on().summaries.at("search");
  measured.trials = search["trials"].get<double>();
  measured.wall_seconds = search["wall_seconds"].get<double>();
  measured.trial_seconds = search["trial_seconds"].get<double>();
  measured.loop_seconds = search["loop_seconds"].get<double>();
  const double train = effective["dataset"].value("train_subset", 10000);
  const double val = effective["dataset"].value("validation", 2000);
  const double epochs = effective["evaluator"].value("epochs", 1);
  const auto log = nas::SearchLog::open(out, nas::SearchLog::Mode::read_only);
  for (const auto& row : log.trials()) measured.flops += trial_flops(row, train, val, epochs);
  return measured;
}

}  // namespace

int main(int argc, char** argv) {
  std::string file = "experiments/examples/quickstart.yaml";
  int trials = 12;
  const std::string usage = "nas_bench_pool [EXPERIMENT.yaml] [--trials N]";
  try {
    // The experiment file, when given, comes first; the flags after it are pairs as in every bench.
    const int skipped = argc > 1 && argv[1][0] != '-' ? 1 : 0;
    if (skipped) file = argv[1];
    for (const auto& [flag, value] : nas_bench::flag_values(argc - skipped, argv + skipped, usage)) {
      if (flag == "--trials") trials = nas_bench::whole_number(flag, value, 1);
      else throw nas_bench::UsageError("unknown flag " + flag + "\nusage: " + usage);
    }
  } catch (const nas_bench::UsageError& e) {
    return nas_bench::report("nas_bench_pool", e);
  }
  const auto scratch = std::filesystem::temp_directory_path() / ("nas-bench-pool-" + std::to_string(::getpid()));
  try {
    std::vector<Measured> runs;
    runs.push_back(measure(file, 2, 1, trials, (scratch / "w2t1").string()));
    runs.push_back(measure(file, 1, 2, trials, (scratch / "w1t2").string()));

    std::cout << "\npool throughput, " << trials << " trials of " << file << " (same candidates in both runs)\n";
    std::cout << std::left << std::setw(26) << "configuration" << std::right << std::setw(10) << "wall s"
              << std::setw(13) << "trials/hour" << std::setw(12) << "loop s" << std::setw(14) << "loop/trial %"
              << std::setw(12) << "GFLOP/s" << std::setw(14) << "% of 2x80" << "\n";
    for (const auto& r : runs) {
      const double per_hour = r.trials / r.wall_seconds * 3600.0;
      const double gflops = r.flops / r.wall_seconds / 1e9;
      std::cout << std::left << std::setw(26) << r.label << std::right << std::fixed << std::setprecision(1)
                << std::setw(10) << r.wall_seconds << std::setw(13) << per_hour << std::setprecision(3) << std::setw(12)
                << r.loop_seconds << std::setw(14) << 100.0 * r.loop_seconds / r.trial_seconds << std::setprecision(2)
                << std::setw(12) << gflops << std::setw(14) << 100.0 * gflops / 160.0 << "\n";
    }
    const double speedup = (runs[0].trials / runs[0].wall_seconds) / (runs[1].trials / runs[1].wall_seconds);
    std::cout << std::setprecision(2) << "2 workers x 1 thread vs 1 worker x 2 threads: " << speedup
              << "x trials per hour (target >= 1.6)\n";
  } catch (const std::exception& e) {
    std::cerr << "nas_bench_pool: " << e.what() << "\n";
    std::filesystem::remove_all(scratch);
    return 1;
  }
  std::filesystem::remove_all(scratch);
  return 0;
}
