// What running on MPI costs, side by side with the local pool on the same machine, in one run:
//   dispatch   tabular NB201 trials (random search, each a table lookup) per second through the local
//              pool and through 1, 2 and 3 ranks that train; the difference per trial is what MPI adds
//              (request and result as JSON frames, polling, the result's transfer);
//   scaling    quickstart trials per hour with 2 workers in one process, 1 rank x 2 workers and
//              2 ranks x 1 worker (all on the same cores);
//   supernet   seconds per step of the supernet phase (ViT-ResNAS, fashion_mnist preset) in one process
//              with 2 threads and data-parallel over 2 ranks of 1 thread (every rank trains a slice),
//              and the time of the step's allreduce alone.
// Every figure is the search (or supernet) phase's own time from the run's log (started_at to
// finished_at), so process start-up and data loading are left out.
//
// usage: nas_bench_mpi [--trials N] [--quickstart-trials N] [--steps N] [--parts dispatch,scaling,supernet]
//        (default 2000, 12, 20, all), with `mpiexec` on the PATH.
#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "bench/flag_values.hpp"
#include "evaluators/runner/mpi_world.hpp"
#include "experiments/log/search_log.hpp"

namespace {

namespace fs = std::filesystem;

const std::string g_nas = NAS_BINARY;
std::string g_self;

double phase_seconds(const std::string& run_dir, const std::string& phase) {
  for (const nas::PhaseRow& row : nas::SearchLog::open(run_dir, nas::SearchLog::Mode::read_only).phases())
    if (row.name == phase && row.started_at && row.finished_at) return *row.finished_at - *row.started_at;
  throw std::runtime_error(run_dir + ": no finished " + phase + " phase");
}

std::int64_t trained_trials(const std::string& run_dir) {
  std::int64_t trained = 0;
  for (const nas::TrialRow& row : nas::SearchLog::open(run_dir, nas::SearchLog::Mode::read_only).trials())
    if (row.reused_from < 0 && row.status == nas::TrialStatus::done) ++trained;
  return trained;
}

// Runs `nas ARGS` alone (ranks 0) or under `mpiexec -n RANKS`; throws when it fails.
void run_nas(int ranks, const std::string& args) {
  const std::string command = (ranks > 0 ? "mpiexec -n " + std::to_string(ranks) + " " : std::string()) + g_nas +
                              " " + args + " --quiet > /dev/null 2>&1";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

std::string label(int ranks, int workers) {
  if (ranks == 0) return "local pool, " + std::to_string(workers) + " worker(s)";
  return std::to_string(ranks - 1) + " rank(s) x " + std::to_string(workers) + " worker(s)";
}

void dispatch(const fs::path& scratch, int trials) {
  const std::string experiment = (scratch / "tabular.yaml").string();
  std::ofstream(experiment) << "name: dispatch\nseed: 1\nspace: {name: nb201}\ncontroller: {name: random}\n"
                               "evaluator: {name: tabular, table: " NAS_SOURCE_DIR "/../shared/datasets/nasbench201/nb201.csv, "
                               "fitness: c10v_valid_acc200, workers: 1}\nbudget: {trials: "
                            << trials << "}\n";
  std::cout << "dispatch: " << trials << " random NB201 trials looked up in the table (repeats reuse results)\n";
  double local_per_trial = 0;
  for (int ranks : {0, 2, 3, 4}) {
    const std::string out = (scratch / ("dispatch-" + std::to_string(ranks))).string();
    run_nas(ranks, "run " + fs::absolute(experiment).string() + " --out " + out);
    const double seconds = phase_seconds(out, "search");
    const double trained = static_cast<double>(trained_trials(out));
    const double per_trial_ms = 1000.0 * seconds / trained;
    if (ranks == 0) local_per_trial = per_trial_ms;
    std::cout << "  " << std::left << std::setw(30) << label(ranks, 1) << std::right << std::fixed
              << std::setprecision(0) << std::setw(8) << trained / seconds << " trials/s  " << std::setprecision(3)
              << std::setw(7) << per_trial_ms << " ms/trial";
    if (ranks > 0) std::cout << "  (+" << per_trial_ms - local_per_trial << " ms against the local pool)";
    std::cout << "\n";
  }
}

void scaling(const fs::path& scratch, int trials) {
  std::cout << "scaling: the quickstart, " << trials << " random-search trials, same cores\n";
  double local = 0;
  struct Setup {
    int ranks;
    int workers;
  };
  for (const Setup setup : {Setup{0, 2}, Setup{2, 2}, Setup{3, 1}}) {
    const std::string out = (scratch / ("scaling-" + std::to_string(setup.ranks))).string();
    run_nas(setup.ranks, "run " NAS_SOURCE_DIR "/experiments/examples/quickstart.yaml --out " + out +
                             " --set 'controller={name: random}' --set budget.trials=" + std::to_string(trials) +
                             " --set evaluator.workers=" + std::to_string(setup.workers));
    const double per_hour = 3600.0 * static_cast<double>(trained_trials(out)) / phase_seconds(out, "search");
    if (setup.ranks == 0) local = per_hour;
    std::cout << "  " << std::left << std::setw(30) << label(setup.ranks, setup.workers) << std::right << std::fixed
              << std::setprecision(0) << std::setw(6) << per_hour << " trials/hour  (" << std::setprecision(3)
              << per_hour / local << " of the local pool)\n";
  }
}

void supernet(const fs::path& scratch, int steps) {
  const std::string experiment = (scratch / "supernet.yaml").string();
  std::ofstream(experiment) << "name: supernet\nseed: 2\n"
                               "dataset: {name: fashion-mnist, train_subset: 10000, validation: 64}\n"
                               "space: {name: vit_resnas, preset: fashion_mnist}\n"
                               "supernet: {epochs: 1, max_steps_per_epoch: "
                            << steps
                            << ", batch_size: 64, examples_per_arch: 16, warmup_epochs: 0}\n"
                               "controller: {name: random}\nevaluator: {name: inherited, workers: 2, threads_per_worker: 1}\n"
                               "budget: {trials: 1}\n";
  std::cout << "supernet: ViT-ResNAS fashion_mnist supernet, batch 64 (4 sub-networks), " << steps << " steps\n";
  double alone = 0;
  for (int ranks : {0, 2}) {
    const std::string out = (scratch / ("supernet-" + std::to_string(ranks))).string();
    // One thread per rank: two ranks of two threads each would put four threads on the two cores.
    run_nas(ranks, "run " + experiment + " --out " + out + (ranks > 0 ? " --set evaluator.workers=1" : ""));
    const double per_step = 1000.0 * phase_seconds(out, "supernet") / steps;
    if (ranks == 0) alone = per_step;
    std::cout << "  " << std::left << std::setw(30)
              << (ranks == 0 ? std::string("one process, 2 threads") : std::string("2 ranks x 1 thread")) << std::right
              << std::fixed << std::setprecision(1) << std::setw(8) << per_step << " ms/step";
    if (ranks > 0) std::cout << "  (" << std::setprecision(3) << per_step / alone << " of one process)";
    std::cout << "\n";
  }
  // The allreduce alone, of a buffer as large as one step's: a flag per parameter tensor, then every value.
  std::size_t floats = 0;
  for (const nas::StateRecord& record :
       nas::SearchLog::open((scratch / "supernet-2").string(), nas::SearchLog::Mode::read_only).run_state("supernet"))
    if (record.key == "weights")
      for (const at::Tensor& tensor : torch::pickle_load(std::vector<char>(record.bytes.begin(), record.bytes.end())).toTensorList())
        floats += 1 + static_cast<std::size_t>(tensor.numel());
  const std::string command = "mpiexec -n 2 " + g_self + " --allreduce-floats " + std::to_string(floats) + " 2>&1";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

// Under mpiexec: times MpiGroup::sum of `floats` values over every rank, as one supernet step sums them.
int allreduce_worker(int* argc, char*** argv, std::size_t floats) {
  nas::MpiWorld world(argc, argv);
  std::vector<int> members;
  for (int rank = 0; rank < world.size(); ++rank) members.push_back(rank);
  const std::unique_ptr<nas::MpiGroup> group = world.group(members);
  std::vector<float> buffer(floats > 0 ? floats : 1, 1.0f);
  for (int i = 0; i < 5; ++i) group->sum(buffer.data(), buffer.size());
  const int repeats = 50;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) group->sum(buffer.data(), buffer.size());
  const double ms = 1000.0 * std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
  if (world.rank() == 0)
    std::cout << "  allreduce of " << buffer.size() << " floats over " << world.size() << " ranks: " << std::fixed
              << std::setprecision(3) << ms << " ms (" << std::setprecision(2)
              << 4.0 * static_cast<double>(buffer.size()) / ms / 1e6 << " GB/s of gradient)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  g_self = fs::absolute(argv[0]).string();
  if (argc >= 3 && std::string(argv[1]) == "--allreduce-floats")
    return allreduce_worker(&argc, &argv, static_cast<std::size_t>(std::atoll(argv[2])));
  const std::string usage =
      "nas_bench_mpi [--trials N] [--quickstart-trials N] [--steps N] [--parts dispatch,scaling,supernet]";
  int trials = 2000;
  int quickstart_trials = 12;
  int steps = 20;
  std::string parts = "dispatch,scaling,supernet";
  try {
    for (const auto& [flag, value] : nas_bench::flag_values(argc, argv, usage)) {
      if (flag == "--trials") trials = nas_bench::whole_number(flag, value, 1);
      else if (flag == "--quickstart-trials") quickstart_trials = nas_bench::whole_number(flag, value, 1);
      else if (flag == "--steps") steps = nas_bench::whole_number(flag, value, 1);
      else if (flag == "--parts") parts = value;
      else throw nas_bench::UsageError("unknown flag " + flag + "\nusage: " + usage);
    }
  } catch (const nas_bench::UsageError& error) {
    return nas_bench::report("nas_bench_mpi", error);
  }
  const fs::path scratch = fs::temp_directory_path() / ("nas_bench_mpi_" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  try {
    if (parts.find("dispatch") != std::string::npos) dispatch(scratch, trials);
    if (parts.find("scaling") != std::string::npos) scaling(scratch, quickstart_trials);
    if (parts.find("supernet") != std::string::npos) supernet(scratch, steps);
  } catch (const std::exception& e) {
    std::cerr << "nas_bench_mpi: " << e.what() << " (kept: " << scratch << ")\n";
    return 1;
  }
  fs::remove_all(scratch);
  return 0;
}
