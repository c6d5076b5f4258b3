// The GAT-like network of the autognn space (gat sum elu 8x8 | gat sum linear 1xC) on Cora with the
// node_classification evaluator's trainer: test accuracy of the best-validation epoch over several
// seeds, seconds per training run on one thread, and the same training (same model, epochs and
// optimizer, dense features) in plain Python PyTorch (bench/gat_cora.py, run with /usr/bin/python3)
// side by side, as a ratio of seconds.
//
// usage: nas_bench_gat_cora [--data DIR] [--runs N] [--epochs E] [--arch GENOTYPE] [--python-runs N]
//                          [--trainer "KEY: VALUE"]...   (evaluator keys: selection, patience)
//                          [--first-seed S]
//        (defaults: ../shared/datasets/planetoid/cora, 10 runs, 200 epochs, the GAT genotype, 3 Python
//        runs, seeds from 1000)
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "bench/flag_values.hpp"
#include "core/config_node.hpp"
#include "evaluators/datasets/graph_dataset.hpp"
#include "evaluators/training/allocator_settings.hpp"
#include "evaluators/training/node_trainer.hpp"
#include "evaluators/training/seeded_build.hpp"
#include "search_spaces/search_space.hpp"

namespace {

struct Args {
  std::string data = std::string(NAS_SOURCE_DIR) + "/../shared/datasets/planetoid/cora";
  int runs = 10;
  int epochs = 200;
  int python_runs = 3;
  int first_seed = 1000;  // run r trains from seed first_seed + r: two processes can split ten runs
  std::string arch = "gat sum elu 8x8 | gat sum linear 1xC";
  std::string trainer;  // extra keys of the evaluator section, as YAML flow entries ("selection: val_loss, ")
  std::string space;    // extra keys of the space section, the same way ("dropout: 0.5, ")
};

const char* const kUsage =
    "nas_bench_gat_cora [--data DIR] [--runs N] [--epochs E] [--arch GENOTYPE] [--python-runs N] "
    "[--trainer \"KEY: VALUE\"]... [--space \"KEY: VALUE\"]... [--first-seed S]";

Args parse(int argc, char** argv) {
  Args args;
  for (const auto& [flag, value] : nas_bench::flag_values(argc, argv, kUsage)) {
    if (flag == "--data") args.data = value;
    else if (flag == "--runs") args.runs = nas_bench::whole_number(flag, value, 1);
    else if (flag == "--epochs") args.epochs = nas_bench::whole_number(flag, value, 1);
    else if (flag == "--python-runs") args.python_runs = nas_bench::whole_number(flag, value);
    else if (flag == "--first-seed") args.first_seed = nas_bench::whole_number(flag, value);
    else if (flag == "--arch") args.arch = value;
    else if (flag == "--trainer") args.trainer += value + ", ";
    else if (flag == "--space") args.space += value + ", ";
    else throw nas_bench::UsageError("unknown flag " + flag + "\nusage: " + kUsage);
  }
  return args;
}

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double stddev(const std::vector<double>& values) {
  const double m = mean(values);
  double sum = 0;
  for (double v : values) sum += (v - m) * (v - m);
  return std::sqrt(sum / static_cast<double>(values.size()));
}

// Seconds per run printed by the Python twin ("seconds_per_run S" on its last line), or -1.
double python_seconds(const Args& args) {
  const std::string command = "OMP_NUM_THREADS=1 /usr/bin/python3 " + std::string(NAS_SOURCE_DIR) +
                              "/bench/gat_cora.py --data " + args.data + " --epochs " + std::to_string(args.epochs) +
                              " --runs " + std::to_string(args.python_runs);
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return -1;
  char buffer[512];
  double seconds = -1;
  while (fgets(buffer, sizeof buffer, pipe)) {
    std::cout << "  python: " << buffer;
    std::istringstream line(buffer);
    std::string word;
    if (line >> word && word == "seconds_per_run") line >> seconds;
  }
  pclose(pipe);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args args = parse(argc, argv);
    nas::keep_freed_memory_for_reuse();  // as `nas` does
    torch::set_num_threads(1);
    const auto root = nas::ConfigNode::parse("space: {" + args.space + "name: autognn}\ndataset: {name: planetoid, path: \"" +
                                                 args.data + "\"}\nevaluator: {" + args.trainer + "epochs: " +
                                                 std::to_string(args.epochs) + "}\n",
                                             "bench");
    const auto data = nas::load_graph_dataset(root.section("dataset"));
    const nas::NodeTrainerOptions options = nas::read_node_trainer_options(root.section("evaluator"));
    const std::unique_ptr<nas::SearchSpace> space_owner = nas::make_search_space(root.section("space"));
    const nas::SearchSpace& space = *space_owner;
    const nas::Architecture arch = space.from_genotype(nas::Json(args.arch));
    std::cout << "architecture: " << arch.short_form() << "; " << args.epochs << " epochs; 1 thread\n";
    std::vector<double> validations, accuracies, graphnas_accuracies, seconds;
    for (int run = 0; run < args.runs; ++run) {
      auto built = nas::build_seeded(space, arch, data->shape(), args.first_seed + run);
      auto& net = dynamic_cast<nas::GraphNetwork&>(*built);
      const nas::TrialClock clock(0, "");
      const nas::NodeTrainingResult result = nas::train_node_classifier(net, *data, data->train, options, args.epochs,
                                                                                 args.first_seed + run, clock);
      validations.push_back(100 * result.val.accuracy);
      accuracies.push_back(100 * result.test.accuracy);
      graphnas_accuracies.push_back(100 * nas::graphnas_test_accuracy(result));
      seconds.push_back(result.seconds);
      std::cout << "  run " << run << " (seed " << args.first_seed + run << "): val " << std::fixed << std::setprecision(1) << 100 * result.val.accuracy
                << "  test " << 100 * result.test.accuracy << "  graphnas " << graphnas_accuracies.back() << "  (epoch " << result.best_epoch << " of "
                << result.val_by_epoch.size() << ", "
                << std::setprecision(2) << result.seconds << " s)\n";
    }
    std::cout << std::fixed << std::setprecision(2) << "ours: test accuracy " << mean(accuracies) << " +- "
              << stddev(accuracies) << " over " << args.runs << " runs; " << mean(seconds) << " s per run\n";
    // What a search would see of this architecture (the kept epoch's), to compare settings without the test set.
    std::cout << "validation accuracy at the kept epoch: " << mean(validations) << " +- " << stddev(validations) << "\n";
    // GraphNAS's code reports this figure; it picks an epoch by the test set, so it only serves comparisons
    // with GraphNAS's tables.
    std::cout << "GraphNAS's reported figure (best test accuracy at a validation-loss record): "
              << mean(graphnas_accuracies) << " +- " << stddev(graphnas_accuracies) << "\n";
    if (args.python_runs > 0) {
      const double python = python_seconds(args);
      if (python > 0)
        std::cout << "python: " << python << " s per run; python / ours = " << python / mean(seconds) << "\n";
      else
        std::cout << "python: no figure (is /usr/bin/python3 with python3-torch installed?)\n";
    }
    return 0;
  } catch (const nas_bench::UsageError& e) {
    return nas_bench::report("nas_bench_gat_cora", e);
  } catch (const std::exception& e) {
    std::cerr << "nas_bench_gat_cora: " << e.what() << "\n";
    return 1;
  }
}
