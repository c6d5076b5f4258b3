// `mpiexec -n 3 nas ...`: rank 0 runs the search, ranks 1 and 2 train its trials. Each trial's
// figures depend on its architecture and seed alone, so a search whose proposals do not depend on the
// order results come back in (random search) writes, over three ranks, the very log of the same search
// in one process; and a job that loses a rank, or rank 0, resumes under mpiexec to that same log.
#include <gtest/gtest.h>
#include <signal.h>
#include <torch/torch.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "../support/scratch.hpp"
#include "experiments/log/kept_weights.hpp"
#include "experiments/log/search_log.hpp"
#include "nas_process.hpp"
#include "run_comparison.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;
using testing::expect_same_log;
using testing::finished_trials;
using testing::nas_command;
using testing::Outcome;
using testing::shell_command;

// `mpiexec -n RANKS nas ARGS`, stdout and stderr together.
Outcome mpi_nas(int ranks, const std::string& args) {
  return shell_command("mpiexec -n " + std::to_string(ranks) + " " + NAS_BINARY + " " + args + " 2>&1");
}

// The same in the background, its output to `log_file`; the id is mpiexec's.
pid_t spawn_mpi_nas(int ranks, const std::string& args, const std::string& log_file) {
  const pid_t child = fork();
  if (child == 0) {
    const std::string command = "exec mpiexec -n " + std::to_string(ranks) + " " + NAS_BINARY + " " + args + " >" +
                                log_file + " 2>&1";
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return child;
}

// The process id of the `nas` process that is rank `rank` of an MPI job started by this test, read
// from the PMI_RANK that mpiexec gave it; -1 when there is none (yet).
pid_t rank_process(int rank, const std::string& run_dir) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string command((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (command.rfind(NAS_BINARY, 0) != 0 || command.find(run_dir) == std::string::npos) continue;
    std::ifstream environ(entry.path() / "environ");
    std::string variable;
    while (std::getline(environ, variable, '\0'))
      if (variable == "PMI_RANK=" + std::to_string(rank)) return static_cast<pid_t>(std::stoi(name));
  }
  return -1;
}

int exit_code_of(pid_t child) {
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void wait_for_trials(const std::string& run_dir, std::int64_t trials) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  while (finished_trials(run_dir) < trials && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

class MpiRun : public testing::ScratchDirTest {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = dir(name);
    std::ofstream(path) << text;
    return path;
  }

  // Random search over NB201 looked up in the benchmark table.
  std::string tabular_experiment(int trials) {
    return write("tabular.yaml", "name: mpi-tabular\nseed: 5\nspace: {name: nb201}\ncontroller: {name: random}\n"
                                 "evaluator: {name: tabular, table: " + testing::kNb201Table +
                                 ", fitness: c10v_valid_acc200, report: [c10_test_acc200], workers: 1}\n"
                                 "budget: {trials: " + std::to_string(trials) + "}\n");
  }

  // Random search over small NASNet cells, each trained for one short epoch; one worker per rank, so
  // that a trial trains with the same threads wherever it runs.
  std::string training_experiment(int trials, const std::string& runner = "") {
    return write("training.yaml", "name: mpi-training\nseed: 3\n"
                                  "dataset: {name: fashion-mnist, train_subset: 256, validation: 128}\n"
                                  "space: {name: nasnet, blocks: 2}\ncontroller: {name: random}\n"
                                  "evaluator: {workers: 1, threads_per_worker: 1, epochs: 1, batch_size: 64, "
                                  "keep_weights: " + std::to_string(trials) + "}\n" + runner +
                                  "budget: {trials: " + std::to_string(trials) + "}\n");
  }

  void run_in_one_process(const std::string& experiment, const std::string& run_dir) {
    run_in_one_process_args("run " + experiment + " --quiet --out " + run_dir);
  }

  void run_in_one_process_args(const std::string& args) {
    const Outcome outcome = nas_command(args);
    ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  }

  // A training search whose rank 0 takes a rank silent for 2 s as lost.
  std::string silent_experiment() {
    return training_experiment(8, "runner: {heartbeat_seconds: 0.2, lost_after_seconds: 2}\n");
  }

  // Runs silent_experiment() over 3 ranks into `run_dir` and SIGSTOPs `ranks` (a hung or cut-off
  // machine) after 2 trials; once rank 0 has ended, kills them (they never exit by themselves) and
  // returns what the job printed.
  std::string silence_ranks(const std::vector<int>& ranks, const std::string& run_dir) {
    const pid_t job = spawn_mpi_nas(3, "run " + silent_experiment() + " --quiet --out " + run_dir, dir("job.txt"));
    wait_for_trials(run_dir, 2);
    std::vector<pid_t> stopped;
    for (int rank : ranks) {
      stopped.push_back(rank_process(rank, run_dir));
      EXPECT_GT(stopped.back(), 0) << "no rank " << rank << " found";
      if (stopped.back() > 0) kill(stopped.back(), SIGSTOP);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
    while (rank_process(0, run_dir) > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (pid_t process : stopped)
      if (process > 0) kill(process, SIGKILL);
    exit_code_of(job);
    std::ifstream log_file(dir("job.txt"));
    std::stringstream output;
    output << log_file.rdbuf();
    return output.str();
  }

  // SIGKILLs `rank` once `after` trials have finished. MPICH's mpiexec then ends the whole job (README,
  // "On a cluster"); `mpiexec -n 3 nas resume` completes it to the log of the run in one process, with
  // no trial lost or trained twice.
  void kill_rank_then_resume(int rank, std::int64_t after) {
    const std::string experiment = training_experiment(8);
    const std::string run_dir = dir("killed-rank-" + std::to_string(rank));
    const pid_t job = spawn_mpi_nas(3, "run " + experiment + " --quiet --out " + run_dir, dir("job.txt"));
    wait_for_trials(run_dir, after);
    const pid_t process = rank_process(rank, run_dir);
    ASSERT_GT(process, 0) << "no rank " << rank << " found";
    kill(process, SIGKILL);
    EXPECT_NE(exit_code_of(job), 0);
    EXPECT_LT(finished_trials(run_dir), 8);

    const Outcome resumed = mpi_nas(3, "resume " + run_dir + " --quiet");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    run_in_one_process(experiment, dir("one-process"));
    expect_same_log(dir("one-process"), run_dir);
  }
};

TEST_F(MpiRun, TabularSearchOverThreeRanksWritesTheTrialsOfTheOneProcessRun) {
  const std::string experiment = tabular_experiment(200);
  run_in_one_process(experiment, dir("one-process"));
  const Outcome outcome = mpi_nas(3, "run " + experiment + " --quiet --out " + dir("three-ranks"));
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("trials train on rank 1"), std::string::npos) << outcome.output;
  expect_same_log(dir("one-process"), dir("three-ranks"));

  std::set<std::string> where;
  for (const TrialRow& row : SearchLog::open(dir("three-ranks"), SearchLog::Mode::read_only).trials()) {
    if (row.reused_from >= 0) continue;
    EXPECT_FALSE(row.trained_on.empty()) << "trial " << row.id;
    where.insert(row.trained_on.substr(0, row.trained_on.find(" on ")));
  }
  EXPECT_EQ(where, (std::set<std::string>{"rank 1", "rank 2"}));
  const Outcome inspected = nas_command("inspect " + dir("three-ranks"));
  EXPECT_NE(inspected.output.find("Trained on: rank 1 on "), std::string::npos) << inspected.output;
  const Outcome trial = nas_command("inspect " + dir("three-ranks") + " --trial 0");
  EXPECT_NE(trial.output.find("trained on:    rank "), std::string::npos) << trial.output;
}

TEST_F(MpiRun, TrainingSearchOverThreeRanksGivesEveryTrialItsOneProcessFiguresAndWeights) {
  const std::string experiment = training_experiment(4);
  run_in_one_process(experiment, dir("one-process"));
  const Outcome outcome = mpi_nas(3, "run " + experiment + " --quiet --out " + dir("three-ranks"));
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  expect_same_log(dir("one-process"), dir("three-ranks"));
  // The kept weights came back from the ranks as bytes: rank 0's run directory has them all, and a
  // trained network exports from them.
  for (int id = 0; id < 4; ++id) {
    const std::string name = "weights/trial-" + std::to_string(id) + ".pt";
    ASSERT_TRUE(fs::exists(dir("three-ranks") + "/" + name)) << name;
    EXPECT_EQ(fs::file_size(dir("three-ranks") + "/" + name), fs::file_size(dir("one-process") + "/" + name)) << name;
  }
  const Outcome exported = nas_command("export " + dir("three-ranks") + " --out " + dir("best.pt"));
  EXPECT_EQ(exported.exit_code, 0) << exported.output;
}

// A full disk (1) on rank 0 as it writes the weights a rank sent back, the second trial's: the job
// stops with the error naming the file, the trial is not recorded and the log says why the run
// stopped; (2) on the ranks that train, as they write a trial's weights aside before sending them: the
// rank stops the job naming itself and the file (mpiexec then ends rank 0 too, before it can record
// why, as when a rank is lost). Either way, resumed under mpiexec, the run ends as the one-process run
// did, with every trial's weights.
TEST_F(MpiRun, AFailedWriteOfATrialsWeightsStopsTheJobAndResumeCompletesIt) {
  const std::string experiment = training_experiment(4);
  run_in_one_process(experiment, dir("one-process"));
  const std::string nas = std::string(NAS_BINARY) + " run " + experiment + " --quiet --out ";
  const std::string fault = " -env NAS_FAULT_FAIL_WRITE file:1:ENOSPC ";
  struct Case {
    std::string name, command;
    std::vector<std::string> said;  // each in the job's output
    std::string status;             // how the log's status starts; empty: not checked (see above)
  };
  const std::vector<Case> cases = {
      {"rank-0",
       "mpiexec -n 1" + fault + nas + dir("rank-0") + " : -n 2 " + nas + dir("rank-0"),
       {"nas: error: " + dir("rank-0") + "/weights/trial-", ".pt.partial: cannot write "},
       "stopped: search failed: "},
      {"ranks",
       "mpiexec -n 1 " + nas + dir("ranks") + " : -n 2" + fault + nas + dir("ranks"),
       {"nas: rank ", ": error: ", "/trial-", ".pt.partial: cannot write "},
       ""}};
  for (const Case& one : cases) {
    SCOPED_TRACE(one.name);
    const std::string run_dir = dir(one.name);
    const Outcome faulty = shell_command(one.command + " 2>&1");
    EXPECT_NE(faulty.exit_code, 0) << faulty.output;
    for (const std::string& said : one.said) EXPECT_NE(faulty.output.find(said), std::string::npos) << faulty.output;
    EXPECT_NE(faulty.output.find("No space left on device"), std::string::npos) << faulty.output;
    EXPECT_EQ(faulty.output.find("terminate called"), std::string::npos) << faulty.output;
    if (!one.status.empty()) {
      EXPECT_EQ(SearchLog::open(run_dir, SearchLog::Mode::read_only).info().status.rfind(one.status, 0), 0u);
    }
    EXPECT_LT(finished_trials(run_dir), 4);

    const Outcome resumed = mpi_nas(3, "resume " + run_dir + " --quiet");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    expect_same_log(dir("one-process"), run_dir);
    for (int id = 0; id < 4; ++id) EXPECT_TRUE(fs::exists(KeptWeights::path(run_dir, id))) << id;
    for (const auto& entry : fs::recursive_directory_iterator(run_dir))
      EXPECT_EQ(entry.path().string().find(".partial"), std::string::npos) << entry.path();
  }
}

TEST_F(MpiRun, AWorkerRankKilledMidTrialEndsTheJobAndResumeUnderMpiexecCompletesIt) {
  kill_rank_then_resume(1, 2);
}

TEST_F(MpiRun, RankZeroKilledThenResumedUnderMpiexecLosesNothing) { kill_rank_then_resume(0, 3); }

// A rank that stops answering (a hung or cut-off machine) is taken as lost after
// runner.lost_after_seconds; its trial goes to the other rank and the search completes.
TEST_F(MpiRun, ARankThatFallsSilentIsTakenAsLostAndItsTrialTrainsElsewhere) {
  const std::string run_dir = dir("silent-rank");
  const std::string output = silence_ranks({2}, run_dir);
  EXPECT_NE(output.find("rank 2 on "), std::string::npos) << output;
  EXPECT_NE(output.find("taken as lost"), std::string::npos) << output;
  EXPECT_EQ(SearchLog::open(run_dir, SearchLog::Mode::read_only).info().status, "finished");
  run_in_one_process(silent_experiment(), dir("one-process"));
  expect_same_log(dir("one-process"), run_dir);
}

// Every rank that trains falls silent: rank 0 stops the run with the command that continues it, the
// log keeps what finished, and that command completes it to the one-process log.
TEST_F(MpiRun, WhenEveryRankIsLostTheRunStopsSayingHowToContinueAndContinues) {
  const std::string run_dir = dir("all-lost");
  const std::string output = silence_ranks({1, 2}, run_dir);
  EXPECT_NE(output.find("every rank that trains is lost"), std::string::npos) << output;
  EXPECT_NE(output.find("continue with `mpiexec -n <ranks> nas resume " + run_dir + "`"), std::string::npos) << output;
  EXPECT_LT(finished_trials(run_dir), 8);

  const Outcome resumed = mpi_nas(3, "resume " + run_dir + " --quiet");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  run_in_one_process(silent_experiment(), dir("one-process"));
  expect_same_log(dir("one-process"), run_dir);
}

// Auto-GNN's parameter sharing: each trial inherits the layers earlier trials offered, so rank 0 ships
// each request's snapshot of them (as records) to the rank, which restores it. With one rank of one
// worker the trials run one after another as in one process, and the log is that process's.
TEST_F(MpiRun, SharedWeightsTravelWithTheRequestsAndGiveTheOneProcessLog) {
  const std::string args = "run " NAS_SOURCE_DIR "/experiments/examples/autognn_cora.yaml --quiet"
                           " --set evaluator.share_weights=true --set evaluator.workers=1 --set evaluator.epochs=12"
                           " --set evaluator.fine_tune_epochs=4 --set budget.trials=8 --set reevaluate.repeats=0"
                           " --set evaluator.trial_time_limit=0 --out ";
  run_in_one_process_args(args + dir("one-process"));
  const Outcome outcome = mpi_nas(2, args + dir("one-rank"));
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  expect_same_log(dir("one-process"), dir("one-rank"));
  EXPECT_EQ(SearchLog::open(dir("one-rank"), SearchLog::Mode::read_only).run_state("autognn_layers").size(),
            SearchLog::open(dir("one-process"), SearchLog::Mode::read_only).run_state("autognn_layers").size());
}

// Ranks 1 and 2 start in a mount namespace where the Fashion-MNIST folder is empty (an MPMD launch: a
// machine without the data): the job stops with their rank, host and what is missing, exit code 1.
TEST_F(MpiRun, ARankThatCannotLoadTheDataStopsTheJobNamingItsRankAndHost) {
  if (shell_command("unshare -m true 2>&1").exit_code != 0) GTEST_SKIP() << "no mount namespaces here (unshare -m)";
  const std::string experiment = training_experiment(2);
  const Outcome outcome = shell_command(
      "mpiexec -n 1 " + std::string(NAS_BINARY) + " run " + experiment + " --quiet --out " + dir("no-data") +
      " : -n 2 unshare -m sh -c 'mount -t tmpfs none /usr/share/datasets/fashion-mnist && exec " + NAS_BINARY +
      "' 2>&1");
  EXPECT_EQ(outcome.exit_code, 1) << outcome.output;
  EXPECT_NE(outcome.output.find("nas: error: rank "), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("cannot make the evaluator"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("missing /usr/share/datasets/fashion-mnist/"), std::string::npos) << outcome.output;
  EXPECT_EQ(finished_trials(dir("no-data")), 0);
}

// The supernet's weights as a run's log holds them: the pickled list of its tensors.
std::vector<torch::Tensor> supernet_weights(const std::string& run_dir) {
  const std::string bytes = testing::run_state_record(run_dir, "supernet", "weights");
  if (bytes.empty()) return {};
  std::vector<torch::Tensor> tensors;
  for (const at::Tensor& tensor : torch::pickle_load(std::vector<char>(bytes.begin(), bytes.end())).toTensorList())
    tensors.push_back(tensor);
  return tensors;
}

// The largest difference between two runs' supernet weights.
double largest_difference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  EXPECT_EQ(a.size(), b.size());
  double largest = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    EXPECT_EQ(a[i].sizes(), b[i].sizes()) << "tensor " << i;
    largest = std::max(largest, (a[i].to(torch::kFloat64) - b[i].to(torch::kFloat64)).abs().max().item<double>());
  }
  return largest;
}

// The supernet phase data-parallel: with 2 ranks each trains half of every batch of 32 (4 groups of 8
// examples per sub-network: rows 0-3 and 4-7), with 3 ranks uneven thirds of it (2, 3 and 3 rows);
// batch norm (the conv stem's) sees the whole batch's statistics and the gradients are summed by
// allreduce. After 20 steps of SGD the weights are those of one process training whole batches, up to
// the order of the sums. AdamW divides each step by the gradient's running size, which turns the
// rounding noise of gradients that are zero in exact arithmetic (the attention's key biases) into
// steps of their own; its bound is looser, and far below what a wrong sum gives (about lr x steps).
TEST_F(MpiRun, ASupernetTrainedDataParallelEndsWithTheWeightsOfOneProcess) {
  const auto experiment = [&](const std::string& optimizer) {
    return write("supernet-" + optimizer + ".yaml",
                 "name: mpi-supernet\nseed: 2\n"
                 "dataset: {name: fashion-mnist, train_subset: 640, validation: 64}\n"
                 "space: {name: vit_resnas, preset: fashion_mnist}\n"
                 "supernet: {epochs: 2, max_steps_per_epoch: 10, batch_size: 32, examples_per_arch: 8, "
                 "warmup_epochs: 1, optimizer: {name: " + optimizer + ", lr: 0.001}}\n"
                 "controller: {name: random}\n"
                 "evaluator: {name: inherited, workers: 1, threads_per_worker: 1}\n"
                 "budget: {trials: 2}\n");
  };
  struct Case {
    std::string optimizer;
    int ranks;
    double bound;
  };
  for (const Case& one : {Case{"sgd", 2, 1e-5}, Case{"sgd", 3, 1e-5}, Case{"adamw", 2, 5e-4}}) {
    const std::string name = one.optimizer + "-" + std::to_string(one.ranks) + "-ranks";
    SCOPED_TRACE(name);
    const std::string alone_dir = dir(one.optimizer + "-one-process");
    if (!fs::exists(alone_dir)) run_in_one_process(experiment(one.optimizer), alone_dir);
    const Outcome outcome = mpi_nas(one.ranks, "run " + experiment(one.optimizer) + " --quiet --out " + dir(name));
    ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
    const double largest = largest_difference(supernet_weights(alone_dir), supernet_weights(dir(name)));
    EXPECT_LT(largest, one.bound) << "after 20 steps";
    std::cout << name << ": largest difference from one process after 20 steps: " << largest << "\n";
    // The trials scored with the inherited weights ran on the ranks, each holding the trained supernet.
    for (const TrialRow& row : SearchLog::open(dir(name), SearchLog::Mode::read_only).trials()) {
      EXPECT_EQ(row.status, TrialStatus::done) << row.error;
      EXPECT_FALSE(row.trained_on.empty());
    }
  }
}

}  // namespace
}  // namespace nas
