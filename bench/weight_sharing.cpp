// Weight sharing measured three ways (bench/README.md, "nas_bench_weight_sharing"):
//
//   --ranking vit|nb201  How well a trained supernet ranks sub-networks. Runs the space's example
//                        (experiments/examples/vit_resnas_fashion_mnist.yaml or nb201_spos_fashion_mnist.yaml)
//                        as `nas run` does, with a random controller and `retrain: {top: N}` over all N
//                        trials, so the retrain phase trains every sampled sub-network from scratch and
//                        gives Kendall's tau between inherited-weight and stand-alone validation accuracy.
//                        Prints both lists, their ranges, ties, tau against the sub-networks' size (a
//                        ranking any search gets for free), and the same sub-networks scored again with
//                        their batch-norm statistics re-estimated on training batches (SPOS does this).
//   --throughput         Supernet training speed: examples per second with G = 4 sub-networks per batch of
//                        64 against one sub-network per batch, same process, alternating, after a warm-up,
//                        on 1 and 2 torch threads, for the ViT-ResNAS and NB201 SPOS supernets of the
//                        examples; achieved GFLOP/s against the ~80 GFLOP/s per core matrix-multiply peak.
//   --cost               The whole ViT-ResNAS example (supernet, 50 inherited-weight evaluations, retrain
//                        of the best 3) against training the same number of sub-networks from scratch with
//                        the `train` evaluator (same controller, seed and constraints): trials per hour,
//                        and the test accuracy of each side's best sub-network retrained the same way.
//
// The mode comes first; the other flags are "--flag value" pairs (bench/flag_values.hpp).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include "bench/flag_values.hpp"
#include "core/config_node.hpp"
#include "core/rng.hpp"
#include "core/statistics.hpp"
#include "core/yaml_json.hpp"
#include "evaluators/builtin/supernet_weights.hpp"
#include "evaluators/datasets/dataset_registry.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/training/allocator_settings.hpp"
#include "evaluators/training/seeded_build.hpp"
#include "evaluators/training/supernet_options.hpp"
#include "evaluators/training/supernet_training.hpp"
#include "evaluators/training/trainer.hpp"
#include "evaluators/training/trainer_options.hpp"
#include "experiments/log/logged_architecture.hpp"
#include "experiments/log/retrain_record.hpp"
#include "experiments/log/search_log.hpp"
#include "experiments/run/run.hpp"
#include "ops/network.hpp"
#include "ops/supernet.hpp"
#include "search_spaces/search_space.hpp"

namespace {

namespace fs = std::filesystem;
using nas::Json;
using Clock = std::chrono::steady_clock;

const char* const kUsage =
    "nas_bench_weight_sharing MODE [FLAGS]\n"
    "  --ranking vit|nb201 [--archs N] [--supernet-epochs E] [--retrain-epochs R] [--train-subset N]\n"
    "                      [--validation N] [--recalibrate-batches K] [--repeats R] [--out DIR]\n"
    "      defaults: 20 archs, 8 supernet epochs, 3 retrain epochs, 10000 training and 2000 validation\n"
    "      images, batch-norm re-estimation on 20 training batches of 64 (0: none), 1 stand-alone training\n"
    "      per sub-network (R > 1: R - 1 more from other seeds, for the noise of the stand-alone ranking)\n"
    "  --throughput [--steps N] [--rounds R] [--warmup-steps W] [--space vit|nb201|both]\n"
    "      defaults: 50 steps per measurement, 3 rounds of (G=4, G=1) alternating per thread count,\n"
    "      10 warm-up steps of each, both spaces\n"
    "  --cost [--train-subset N] [--trials N] [--scratch-epochs E] [--out DIR]\n"
    "      defaults: 10000 training images (the example has 20000), 50 trials, 1 epoch per\n"
    "      from-scratch trial\n"
    "  --out DIR keeps the runs' directories there (default: a temporary folder, removed)";

const std::string kSource = NAS_SOURCE_DIR;
const std::string kVitExample = kSource + "/experiments/examples/vit_resnas_fashion_mnist.yaml";
const std::string kNb201Example = kSource + "/experiments/examples/nb201_spos_fashion_mnist.yaml";

struct Args {
  std::string mode;
  std::string space = "both";  // --ranking's space, or --throughput's
  int archs = 20;
  int supernet_epochs = 8;
  int retrain_epochs = 3;
  int train_subset = 10000;
  int validation = 2000;
  int recalibrate_batches = 20;
  int repeats = 1;  // stand-alone trainings of each sub-network (the retrain phase's, then more seeds)
  int steps = 50;
  int rounds = 3;
  int warmup_steps = 10;
  int trials = 50;
  int scratch_epochs = 1;
  std::string out;
};

Args parse(int argc, char** argv) {
  if (argc < 2) throw nas_bench::UsageError("no mode given\nusage: " + std::string(kUsage));
  Args args;
  const std::string first = argv[1];
  if (first == "--help" || first == "-h") throw nas_bench::UsageError(std::string("usage: ") + kUsage, true);
  int skipped = 0;  // a mode without a value is argv[1] alone; --ranking's value is read as a pair below
  if (first == "--throughput" || first == "--cost") {
    args.mode = first.substr(2);
    skipped = 1;
  } else if (first != "--ranking") {
    throw nas_bench::UsageError("the first argument is the mode (--ranking SPACE, --throughput or --cost), not " +
                                first + "\nusage: " + kUsage);
  }
  const std::set<std::string> ranking{"--ranking",    "--archs",      "--supernet-epochs", "--retrain-epochs",
                                      "--train-subset", "--validation", "--recalibrate-batches", "--repeats",
                                      "--out"};
  const std::set<std::string> throughput{"--steps", "--rounds", "--warmup-steps", "--space"};
  const std::set<std::string> cost{"--train-subset", "--trials", "--scratch-epochs", "--out"};
  const std::set<std::string>& accepted = args.mode.empty() ? ranking : args.mode == "throughput" ? throughput : cost;
  for (const auto& [flag, value] : nas_bench::flag_values(argc - skipped, argv + skipped, kUsage)) {
    if (!accepted.count(flag))
      throw nas_bench::UsageError("unknown flag " + flag + " for this mode\nusage: " + kUsage);
    if (flag == "--ranking") {
      if (value != "vit" && value != "nb201")
        throw nas_bench::UsageError("--ranking: '" + value + "' is not vit or nb201");
      args.mode = "ranking";
      args.space = value;
    } else if (flag == "--space") {
      if (value != "vit" && value != "nb201" && value != "both")
        throw nas_bench::UsageError("--space: '" + value + "' is not vit, nb201 or both");
      args.space = value;
    } else if (flag == "--archs") args.archs = nas_bench::whole_number(flag, value, 2, 1000);
    else if (flag == "--supernet-epochs") args.supernet_epochs = nas_bench::whole_number(flag, value, 1, 1000);
    else if (flag == "--retrain-epochs") args.retrain_epochs = nas_bench::whole_number(flag, value, 1, 1000);
    else if (flag == "--train-subset") args.train_subset = nas_bench::whole_number(flag, value, 64, 58000);
    else if (flag == "--validation") args.validation = nas_bench::whole_number(flag, value, 1, 30000);
    else if (flag == "--recalibrate-batches") args.recalibrate_batches = nas_bench::whole_number(flag, value, 0, 1000);
    else if (flag == "--repeats") args.repeats = nas_bench::whole_number(flag, value, 1, 100);
    else if (flag == "--steps") args.steps = nas_bench::whole_number(flag, value, 1, 100000);
    else if (flag == "--rounds") args.rounds = nas_bench::whole_number(flag, value, 1, 1000);
    else if (flag == "--warmup-steps") args.warmup_steps = nas_bench::whole_number(flag, value, 0, 100000);
    else if (flag == "--trials") args.trials = nas_bench::whole_number(flag, value, 1, 100000);
    else if (flag == "--scratch-epochs") args.scratch_epochs = nas_bench::whole_number(flag, value, 1, 1000);
    else if (flag == "--out") args.out = value;
  }
  return args;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

Json read_yaml_file(const std::string& path) { return nas::yaml_to_json(YAML::LoadFile(path)); }

// A section of a configuration held as JSON (JSON is YAML), as the readers of experiment files take it.
nas::ConfigNode section_of(const Json& config, const std::string& key, const std::string& where) {
  return nas::ConfigNode::parse(Json{{key, config.at(key)}}.dump(2), where).section(key);
}

std::shared_ptr<const nas::ImageDataset> load_images(const Json& config) {
  return nas::load_dataset(section_of(config, "dataset", "bench dataset"), config.value("seed", 0));
}

// Picks the first option of every decision: ViT-ResNAS lists its options largest first, so this is
// the supernet's own, largest network (every block kept).
class FirstOptionPolicy : public nas::Policy {
 public:
  std::size_t choose(const nas::Decision&) override { return 0; }
};

// The phases' wall seconds, from the log (first start to end).
std::map<std::string, double> phase_seconds(const nas::SearchLog& log) {
  std::map<std::string, double> seconds;
  for (const nas::PhaseRow& row : log.phases())
    if (row.started_at && row.finished_at) seconds[row.name] = *row.finished_at - *row.started_at;
  return seconds;
}

nas::RunOptions quiet_run(const std::string& dir) {
  nas::RunOptions options;
  options.dir = dir;
  options.console.out = &std::cerr;
  options.console.notes = &std::cerr;
  options.console.progress = &std::cerr;
  return options;
}

std::string fixed(double value, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << value;
  return out.str();
}

// Pairs whose values tie in a list: how much a ranking of accuracies measured on a few thousand images
// can say at all.
int tied_pairs(const std::vector<double>& values) {
  int ties = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    for (std::size_t j = i + 1; j < values.size(); ++j)
      if (values[i] == values[j]) ++ties;
  return ties;
}

// 1-based rank of element `index` when `values` are sorted highest first (ties share the best rank).
int rank_of(const std::vector<double>& values, std::size_t index) {
  int rank = 1;
  for (double value : values)
    if (value > values[index]) ++rank;
  return rank;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// The 1-minute load average: other processes on the 2 cores (builds) show here.
double load_average() {
  std::ifstream in("/proc/loadavg");
  double load = -1;
  in >> load;
  return load;
}

std::string tau_text(const std::optional<double>& tau) { return tau ? fixed(*tau, 3) : "undefined"; }

// ---------------------------------------------------------------------------------------------------
// --ranking

// Sets every batch norm of `net` to forget its running statistics and average them over the batches
// that follow (momentum none: a cumulative mean), then runs `batches` training batches of 64 through it
// in training mode without gradients. What SPOS does before scoring a path: the statistics a supernet's
// batch norms kept were gathered over many paths.
void reestimate_batch_norm(nas::Network& net, const nas::ImageDataset& data, int batches, std::uint64_t seed) {
  for (const auto& module : net.modules(/*include_self=*/false))
    if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(module.get())) {
      bn->reset_running_stats();
      bn->options.momentum(c10::nullopt);
    }
  const torch::Tensor mean = data.mean.view({1, -1, 1, 1});
  const torch::Tensor std = data.std.view({1, -1, 1, 1});
  torch::NoGradGuard no_grad;
  net.train();
  const std::int64_t count = data.train_images.size(0);
  torch::Generator generator = at::detail::createCPUGenerator(seed);
  const torch::Tensor order = torch::randperm(count, generator, torch::kInt64);
  for (int b = 0; b < batches && (b + 1) * 64 <= count; ++b) {
    const torch::Tensor index = order.slice(0, b * 64, (b + 1) * 64);
    net.forward((data.train_images.index_select(0, index) - mean) / std);
  }
}

int run_ranking(const Args& args) {
  const bool vit = args.space == "vit";
  const std::string file = vit ? kVitExample : kNb201Example;
  const Json example = read_yaml_file(file);
  // The retrain section: the example's own for ViT-ResNAS; the NB201 example has none, so its
  // supernet's optimizer (SGD) trains the stand-alone cells.
  Json retrain = vit ? example.at("retrain") : Json{{"batch_size", 64}, {"optimizer", example.at("supernet").at("optimizer")}};
  retrain["top"] = args.archs;
  retrain["epochs"] = args.retrain_epochs;
  const std::vector<std::string> overrides = {
      "dataset.train_subset=" + std::to_string(args.train_subset),
      "dataset.validation=" + std::to_string(args.validation),
      "supernet.epochs=" + std::to_string(args.supernet_epochs),
      "controller={name: random}",
      "budget.trials=" + std::to_string(args.archs),
      "retrain=" + retrain.dump()};
  const fs::path dir = fs::path(args.out.empty() ? fs::temp_directory_path().string() : args.out) /
                       ("ranking-" + args.space + "-" + std::to_string(::getpid()));

  std::cout << "ranking: " << file << "\n  overrides:";
  for (const auto& o : overrides) std::cout << " --set '" << o << "'";
  std::cout << "\n  run directory: " << dir.string() << "\n" << std::flush;

  nas::Experiment experiment = nas::load_experiment_file(file, overrides);
  const Json effective = experiment.config.effective;
  const int workers = experiment.config.runner.workers;
  std::cout << "  torch threads in the main thread (supernet and retrain phases): " << at::get_num_threads()
            << "; inherited scoring: " << experiment.config.runner.workers << " workers x "
            << experiment.config.runner.threads_per_worker << " thread; 1-minute load average "
            << load_average() << "\n" << std::flush;
  const auto start = Clock::now();
  const nas::RunOutcome outcome = nas::Run::start(std::move(experiment), quiet_run(dir.string())).go_on();
  const double wall = seconds_since(start);

  const auto log = nas::SearchLog::open(dir.string(), nas::SearchLog::Mode::read_only);
  const std::map<std::string, double> phases = phase_seconds(log);
  Json supernet_state;
  for (const nas::PhaseRow& row : log.phases())
    if (row.name == "supernet") supernet_state = row.state;
  std::map<std::int64_t, nas::TrialRow> trials;
  std::set<std::string> hashes;
  double scoring_seconds = 0;
  int done = 0;
  for (const nas::TrialRow& row : log.trials()) {
    trials[row.id] = row;
    if (row.metrics) {
      scoring_seconds += row.metrics->train_seconds;
      ++done;
    }
  }

  // Every retrained sub-network: inherited and stand-alone accuracies, size.
  struct Entry {
    std::int64_t trial;
    double inherited, standalone, train_seconds;
    double params, madds;
    double recalibrated = -1;
    std::string arch;
    std::vector<double> repeats = {};  // the further stand-alone trainings' val accuracies
  };
  std::vector<Entry> entries;
  const nas::RetrainedTrials retrained = nas::read_retrained_trials(log);
  for (const nas::RetrainedTrial& e : retrained.trials) {
    if (!e.done) continue;
    const nas::TrialRow& row = trials.at(e.trial_id);
    hashes.insert(row.arch_hash);
    entries.push_back(Entry{row.id, e.inherited_val_accuracy, e.val_accuracy, e.train_seconds,
                            static_cast<double>(row.metrics->params), static_cast<double>(row.metrics->madds), -1,
                            row.short_form, {}});
  }

  if (entries.size() < 2) {
    std::cerr << "nas_bench_weight_sharing: only " << entries.size()
              << " sub-network(s) retrained; a ranking needs two (the run is in " << dir.string() << ")\n";
    return 1;
  }

  // The same sub-networks scored again from the supernet as checkpointed, with re-estimated BN statistics.
  double recalibration_seconds = 0;
  std::optional<nas::Experiment> again;
  std::shared_ptr<const nas::ImageDataset> data;
  if (args.recalibrate_batches > 0 || args.repeats > 1) {
    again = nas::load_logged_experiment(effective, log.path());
    data = load_images(effective);
  }
  if (args.recalibrate_batches > 0) {
    const auto begin = Clock::now();
    const std::unique_ptr<nas::SharedWeights> shared = again->evaluator->make_shared_weights();
    shared->restore(log.run_state(shared->kind()));
    const std::shared_ptr<const nas::SharedWeightsView> view = shared->view();
    nas::TrainerOptions scoring;
    const nas::TrialClock clock(0, "");
    for (Entry& entry : entries) {
      const nas::Architecture arch = nas::rebuild_logged_architecture(trials.at(entry.trial), *again->space, log.path());
      const auto net = nas::inherit_from_supernet(*view, arch);
      const nas::EvaluationResult plain =
          nas::evaluate_network(*net, data->val_images, data->val_labels, data->mean, data->std, scoring, clock);
      if (std::abs(plain.accuracy - entry.inherited) > 1e-9)
        std::cerr << "note: trial " << entry.trial << " scores " << plain.accuracy
                  << " from the restored supernet, the log says " << entry.inherited << "\n";
      reestimate_batch_norm(*net, *data, args.recalibrate_batches, nas::derive_seed(entry.trial, 77));
      entry.recalibrated =
          nas::evaluate_network(*net, data->val_images, data->val_labels, data->mean, data->std, scoring, clock).accuracy;
    }
    recalibration_seconds = seconds_since(begin);
  }

  // More stand-alone trainings of every sub-network, trained as the retrain phase trains them (its
  // section, the trial's architecture) from seeds derived from the trial's: how far the stand-alone
  // ranking itself moves from seed to seed, the ceiling of any tau measured against one training.
  double repeat_seconds = 0;
  if (args.repeats > 1) {
    const auto begin = Clock::now();
    Json trainer = effective.at("retrain");
    trainer.erase("top");
    const nas::TrainerOptions training =
        nas::read_trainer_options(section_of(Json{{"evaluator", trainer}}, "evaluator", "bench retrain"));
    for (int r = 1; r < args.repeats; ++r)
      for (Entry& entry : entries) {
        const nas::TrialRow& row = trials.at(entry.trial);
        const nas::Architecture arch = nas::rebuild_logged_architecture(row, *again->space, log.path());
        const std::uint64_t seed = nas::derive_seed(row.seed, static_cast<std::uint64_t>(r));
        const auto net = nas::build_seeded(*again->space, arch, data->shape, seed);
        entry.repeats.push_back(nas::train_and_validate(*net, *data, training, seed).val_accuracy);
        std::cerr << "repeat " << r << " of trial " << entry.trial << ": val_accuracy " << entry.repeats.back() << "\n";
      }
    repeat_seconds = seconds_since(begin);
  }

  std::vector<double> inherited, standalone, params, madds, recalibrated;
  for (const Entry& e : entries) {
    inherited.push_back(e.inherited);
    standalone.push_back(e.standalone);
    params.push_back(e.params);
    madds.push_back(e.madds);
    recalibrated.push_back(e.recalibrated);
  }
  std::cout << "\n    trial  inherited  BN re-est.  stand-alone   params    madds  retrain s  architecture\n";
  for (const Entry& e : entries)
    std::cout << std::setw(9) << e.trial << std::fixed << std::setprecision(4) << std::setw(11) << e.inherited
              << std::setw(12) << e.recalibrated << std::setw(13) << e.standalone << std::setw(9)
              << static_cast<long>(e.params) << std::setw(9) << static_cast<long>(e.madds) << std::setprecision(1)
              << std::setw(11) << e.train_seconds << "  " << e.arch << "\n";
  const auto range = [](const std::vector<double>& v) {
    if (v.empty()) return std::string("-");
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return fixed(*lo, 4) + " .. " + fixed(*hi, 4) + " (spread " + fixed(*hi - *lo, 4) + ")";
  };
  const std::size_t n = entries.size();
  const std::size_t best_inherited = std::max_element(inherited.begin(), inherited.end()) - inherited.begin();
  const std::size_t best_standalone = std::max_element(standalone.begin(), standalone.end()) - standalone.begin();
  std::cout << std::defaultfloat << "\nsub-networks retrained: " << n << " (" << hashes.size()
            << " distinct architectures; " << done << " trials scored)\n"
            << "inherited val accuracy:   " << range(inherited) << ", tied pairs " << tied_pairs(inherited) << " of "
            << n * (n - 1) / 2 << "\n"
            << "stand-alone val accuracy: " << range(standalone) << ", tied pairs " << tied_pairs(standalone) << "\n"
            << "Kendall tau, inherited vs stand-alone: " << tau_text(nas::kendall_tau(inherited, standalone))
            << " (retrain phase: " << tau_text(retrained.kendall_tau()) << ")\n";
  if (args.recalibrate_batches > 0)
    std::cout << "BN re-estimated val accuracy: " << range(recalibrated) << "\n"
              << "Kendall tau, BN re-estimated inherited vs stand-alone: "
              << tau_text(nas::kendall_tau(recalibrated, standalone)) << " (" << args.recalibrate_batches
              << " batches of 64; " << fixed(recalibration_seconds, 1) << " s for all, supernet restore included)\n";
  std::cout << "Kendall tau, parameters vs stand-alone: " << tau_text(nas::kendall_tau(params, standalone))
            << "; multiply-adds vs stand-alone: " << tau_text(nas::kendall_tau(madds, standalone))
            << "; inherited vs parameters: " << tau_text(nas::kendall_tau(inherited, params)) << "\n"
            << "the inherited best (trial " << entries[best_inherited].trial << ") is stand-alone rank "
            << rank_of(standalone, best_inherited) << " of " << n << "; the stand-alone best (trial "
            << entries[best_standalone].trial << ") is inherited rank " << rank_of(inherited, best_standalone) << "\n";
  if (args.repeats > 1) {
    // Every training of each sub-network: the retrain phase's, then the repeats.
    std::vector<std::vector<double>> runs(static_cast<std::size_t>(args.repeats));
    std::vector<double> mean_standalone, spreads;
    for (const Entry& e : entries) {
      std::vector<double> all{e.standalone};
      all.insert(all.end(), e.repeats.begin(), e.repeats.end());
      for (std::size_t r = 0; r < all.size(); ++r) runs[r].push_back(all[r]);
      const auto [m, sd] = nas::mean_and_std(all);
      mean_standalone.push_back(m);
      spreads.push_back(sd);
    }
    std::cout << "\nstand-alone repeats (" << args.repeats << " trainings of each, seeds derived from the trial's):\n"
              << "    trial  trainings (val accuracy)\n";
    for (std::size_t i = 0; i < n; ++i) {
      std::cout << std::setw(9) << entries[i].trial << " ";
      for (const auto& run : runs) std::cout << " " << fixed(run[i], 4);
      std::cout << "   mean " << fixed(mean_standalone[i], 4) << "\n";
    }
    std::vector<double> pair_taus;
    for (std::size_t a = 0; a < runs.size(); ++a)
      for (std::size_t b = a + 1; b < runs.size(); ++b)
        if (const auto tau = nas::kendall_tau(runs[a], runs[b])) pair_taus.push_back(*tau);
    const auto [tau_mean, tau_sd] = nas::mean_and_std(pair_taus);
    std::vector<double> inherited_vs_each;
    for (const auto& run : runs)
      if (const auto tau = nas::kendall_tau(inherited, run)) inherited_vs_each.push_back(*tau);
    std::cout << "Kendall tau between two stand-alone trainings of the same sub-networks (seed noise): "
              << fixed(tau_mean, 3) << (pair_taus.size() > 1 ? " mean over " + std::to_string(pair_taus.size()) + " pairs" : "")
              << "\nmean std of one sub-network's stand-alone val accuracy across seeds: "
              << fixed(nas::mean_and_std(spreads).first, 4) << "\nKendall tau, inherited vs each training:";
    for (double tau : inherited_vs_each) std::cout << " " << fixed(tau, 3);
    std::cout << "\nKendall tau, inherited vs the mean of the trainings: "
              << tau_text(nas::kendall_tau(inherited, mean_standalone));
    if (args.recalibrate_batches > 0)
      std::cout << "; BN re-estimated vs the mean: " << tau_text(nas::kendall_tau(recalibrated, mean_standalone));
    std::cout << "; parameters vs the mean: " << tau_text(nas::kendall_tau(params, mean_standalone))
              << "\nrepeats took " << fixed(repeat_seconds, 1) << " s\n";
  }

  std::cout << "\ntimings (s; 1-minute load average at the end " << fixed(load_average(), 2)
            << "): whole run " << fixed(wall, 1);
  for (const auto& [name, s] : phases) std::cout << "; " << name << " " << fixed(s, 1);
  std::cout << "\n";
  if (supernet_state.is_object()) {
    std::cout << "supernet epochs (loss, train accuracy, s):";
    for (const Json& point : supernet_state.at("curve"))
      std::cout << " " << fixed(point.value("train_loss", 0.0), 3) << "/" << fixed(point.value("train_accuracy", 0.0), 3)
                << "/" << fixed(point.value("seconds", 0.0), 1);
    std::cout << "\n";
  }
  double retrain_sum = 0;
  for (const Entry& e : entries) retrain_sum += e.train_seconds;
  std::cout << "inherited scoring: " << fixed(scoring_seconds / std::max(done, 1), 2) << " s per sub-network (sum "
            << fixed(scoring_seconds, 1) << " s over " << workers << " workers); stand-alone training: "
            << fixed(retrain_sum / std::max<std::size_t>(n, 1), 1) << " s per sub-network (" << args.retrain_epochs
            << " epochs, validation included)\n";
  if (args.out.empty()) fs::remove_all(dir);
  return outcome.exit_code;
}

// ---------------------------------------------------------------------------------------------------
// --throughput

struct SpaceUnderTest {
  std::string label;
  Json config;  // the example's sections
  std::unique_ptr<nas::SearchSpace> space;
  std::shared_ptr<const nas::ImageDataset> data;
  std::int64_t full_madds = 0;  // ViT-ResNAS: the largest sub-network, what masked training computes
  bool masked = false;
};

struct Trainee {
  std::string label;
  std::shared_ptr<nas::SupernetOptions> options;
  std::shared_ptr<nas::Supernet> supernet;
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  std::vector<double> base_lr;
  int epoch = 0;  // each measurement is one capped "epoch" with fresh draws
  std::map<std::string, std::int64_t> madds_by_hash;
};

nas::SupernetOptions throughput_options(const Json& config, std::int64_t examples_per_arch, int steps) {
  Json section = config.at("supernet");
  section["examples_per_arch"] = examples_per_arch;
  section["warmup_epochs"] = 0;  // every option enabled: the steady state after choice warm-up
  section["rewire"] = false;
  section["epochs"] = 1000;      // the cosine schedule stays near the base rate
  section["max_steps_per_epoch"] = steps;
  return nas::read_supernet_options(section_of(Json{{"supernet", section}}, "supernet", "bench supernet"));
}

Trainee make_trainee(const SpaceUnderTest& s, std::int64_t examples_per_arch) {
  Trainee t;
  t.label = "G=" + std::to_string(64 / examples_per_arch) + " (" + std::to_string(examples_per_arch) + " per arch)";
  t.options = std::make_shared<nas::SupernetOptions>(throughput_options(s.config, examples_per_arch, 1));
  torch::manual_seed(1234);  // both trainees start from the same weights
  t.supernet = s.space->build_supernet(s.data->shape);
  t.optimizer = t.options->make_optimizer(t.supernet->parameters());
  for (auto& group : t.optimizer->param_groups()) t.base_lr.push_back(group.options().get_lr());
  return t;
}

struct Measurement {
  double seconds = 0;
  std::int64_t examples = 0;
  std::int64_t steps = 0;
  double sampled_madds = 0;  // multiply-adds per example of the sub-networks the steps drew, summed over examples
};

// `steps` steps of supernet training through train_supernet_epoch (the supernet phase's own loop), and
// the multiply-adds of the sub-networks it drew: the same draws, replayed from the same seed stream.
Measurement measure(const SpaceUnderTest& s, Trainee& t, int steps) {
  t.options->max_steps_per_epoch = steps;
  const std::uint64_t seed = 99;
  const nas::SupernetEpochFigures figures =
      nas::train_supernet_epoch(*t.supernet, *t.optimizer, t.base_lr, *s.data, *t.options, seed, t.epoch);
  Measurement m;
  m.seconds = figures.seconds;
  m.examples = figures.examples;
  m.steps = figures.steps;
  // train_supernet_epoch draws the groups' sub-networks from stream 1 of derive_seed(seed, epoch).
  nas::Rng group_rng(nas::derive_seed(nas::derive_seed(seed, static_cast<std::uint64_t>(t.epoch)), 1));
  for (std::int64_t step = 0; step < figures.steps; ++step)
    for (const nas::Architecture& arch :
         t.supernet->sample_groups(static_cast<std::size_t>(t.options->groups()), t.epoch, 0, group_rng)) {
      auto found = t.madds_by_hash.find(arch.hash());
      if (found == t.madds_by_hash.end())
        found = t.madds_by_hash.emplace(arch.hash(), s.space->describe(arch, s.data->shape).madds).first;
      m.sampled_madds += static_cast<double>(found->second) * static_cast<double>(t.options->examples_per_arch);
    }
  ++t.epoch;
  return m;
}

SpaceUnderTest load_space(const std::string& label, const std::string& file) {
  SpaceUnderTest s;
  s.label = label;
  s.config = read_yaml_file(file);
  s.config["dataset"]["train_subset"] = 10000;
  s.config["dataset"]["validation"] = 2000;
  s.space = nas::make_search_space(section_of(s.config, "space", "bench space"));
  s.data = load_images(s.config);
  s.masked = s.space->name() == "vit_resnas";
  FirstOptionPolicy first;
  s.full_madds = s.space->describe(s.space->sample(first), s.data->shape).madds;
  return s;
}

int run_throughput(const Args& args) {
  std::vector<std::pair<std::string, std::string>> spaces;
  if (args.space != "nb201") spaces.emplace_back("ViT-ResNAS fashion_mnist", kVitExample);
  if (args.space != "vit") spaces.emplace_back("NB201 SPOS (C=8, N=1)", kNb201Example);
  std::cout << "supernet training throughput: batch 64, " << args.steps << " steps per measurement, " << args.rounds
            << " rounds of (G=4, G=1) alternating after " << args.warmup_steps
            << " warm-up steps of each; every option enabled (no choice warm-up), no rewiring\n"
            << "GFLOP/s = 6 x multiply-adds per example x examples / s (forward + backward ~ 3 forward passes)\n";
  for (const auto& [label, file] : spaces) {
    const SpaceUnderTest s = load_space(label, file);
    std::cout << "\n" << label << " (" << file.substr(kSource.size() + 1) << "): ";
    if (s.masked)
      std::cout << "largest sub-network " << s.full_madds
                << " multiply-adds per example; masked training computes it for every example\n";
    else
      std::cout << "one path per group: a step costs the sampled cells' multiply-adds\n";
    Trainee four = make_trainee(s, 16);
    Trainee one = make_trainee(s, 64);
    std::cout << std::setw(8) << "threads" << std::setw(20) << "config" << std::setw(7) << "round" << std::setw(8)
              << "s" << std::setw(12) << "examples/s" << std::setw(11) << "subnets/s" << std::setw(15)
              << "sampled M/ex" << std::setw(10) << "GFLOP/s" << std::setw(9) << "of peak" << std::setw(7) << "load"
              << "\n";
    for (int threads : {1, 2}) {
      torch::set_num_threads(threads);
      if (args.warmup_steps > 0) {
        measure(s, four, args.warmup_steps);
        measure(s, one, args.warmup_steps);
      }
      std::map<std::string, std::vector<double>> rates, gflops;
      std::vector<double> ratios;
      for (int round = 0; round < args.rounds; ++round) {
        double rate_four = 0, rate_one = 0;
        for (Trainee* t : {&four, &one}) {
          const Measurement m = measure(s, *t, args.steps);
          const double per_example = s.masked ? static_cast<double>(s.full_madds)
                                              : m.sampled_madds / static_cast<double>(m.examples);
          const double rate = static_cast<double>(m.examples) / m.seconds;
          const double g = 6.0 * per_example * rate / 1e9;
          rates[t->label].push_back(rate);
          gflops[t->label].push_back(g);
          (t == &four ? rate_four : rate_one) = rate;
          std::cout << std::setw(8) << threads << std::setw(20) << t->label << std::setw(7) << round + 1 << std::fixed
                    << std::setprecision(2) << std::setw(8) << m.seconds << std::setprecision(1) << std::setw(12) << rate
                    << std::setw(11) << rate / static_cast<double>(t->options->examples_per_arch) << std::setprecision(3)
                    << std::setw(15) << m.sampled_madds / static_cast<double>(m.examples) / 1e6 << std::setprecision(2)
                    << std::setw(10) << g << std::setprecision(1) << std::setw(8) << 100.0 * g / (80.0 * threads) << "%"
                    << std::setprecision(2) << std::setw(7) << load_average() << std::defaultfloat << "\n";
        }
        ratios.push_back(rate_four / rate_one);
      }
      for (Trainee* t : {&four, &one}) {
        const auto [mean, sd] = nas::mean_and_std(rates[t->label]);
        const double gmed = median(gflops[t->label]);
        std::cout << "  " << threads << " thread(s), " << t->label << ": median " << fixed(median(rates[t->label]), 1)
                  << " examples/s (mean " << fixed(mean, 1) << " +- " << fixed(sd, 1) << "), median " << fixed(gmed, 2)
                  << " GFLOP/s (" << fixed(100.0 * gmed / (80.0 * threads), 1) << "% of " << 80 * threads << ")\n";
      }
      std::cout << "  G=4 / G=1 examples per second, " << threads << " thread(s): median " << fixed(median(ratios), 3)
                << " (per round:";
      for (double r : ratios) std::cout << " " << fixed(r, 3);
      std::cout << ")\n" << std::flush;
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// --cost

struct Retrained {
  double val_accuracy = 0, test_accuracy = 0, seconds = 0;
};

// Trains `arch` from scratch as the retrain phase does (the `train` evaluator: seeded build, training
// subset, validation), then measures it on the 10,000 test images.
Retrained retrain_and_test(const nas::SearchSpace& space, const nas::Architecture& arch, const nas::ImageDataset& data,
                           const nas::TrainerOptions& options, std::uint64_t seed) {
  const auto start = Clock::now();
  const auto net = nas::build_seeded(space, arch, data.shape, seed);
  const nas::TrialMetrics metrics = nas::train_and_validate(*net, data, options, seed);
  const nas::TrialClock clock(0, "");
  const nas::EvaluationResult test =
      nas::evaluate_network(*net, data.test_images, data.test_labels, data.mean, data.std, options, clock);
  return Retrained{metrics.val_accuracy, test.accuracy, seconds_since(start)};
}

int run_cost(const Args& args) {
  const fs::path root = fs::path(args.out.empty() ? fs::temp_directory_path().string() : args.out) /
                        ("cost-" + std::to_string(::getpid()));
  // Side A: the example, shrunk to the training subset asked for.
  const std::vector<std::string> overrides = {"dataset.train_subset=" + std::to_string(args.train_subset),
                                              "budget.trials=" + std::to_string(args.trials)};
  nas::Experiment shared = nas::load_experiment_file(kVitExample, overrides);
  const Json effective = shared.config.effective;
  const Json retrain_trainer = [&] {
    Json t = effective.at("retrain");
    t.erase("top");
    return t;
  }();
  // Side B: the same file with the train evaluator in place of the supernet, trained as the retrain
  // section trains, for fewer epochs.
  Json scratch = effective;
  scratch.erase("supernet");
  scratch.erase("retrain");
  scratch["name"] = effective.at("name").get<std::string>() + "_from_scratch";
  scratch["evaluator"] = retrain_trainer;
  scratch["evaluator"]["name"] = "train";
  scratch["evaluator"]["workers"] = effective.at("evaluator").value("workers", 2);
  scratch["evaluator"]["threads_per_worker"] = effective.at("evaluator").value("threads_per_worker", 1);
  scratch["evaluator"]["epochs"] = args.scratch_epochs;
  std::cout << "cost: " << kVitExample << " with --set " << overrides[0] << " --set " << overrides[1]
            << "\n  from scratch: evaluator " << scratch["evaluator"].dump() << "\n  runs in " << root.string()
            << "\n  torch threads in the main thread (supernet, retrain): " << at::get_num_threads()
            << "; 1-minute load average at the start " << load_average() << "\n" << std::flush;

  // Runs one side to its end in root/folder; its wall seconds.
  const auto run_side = [&](nas::Experiment experiment, const std::string& folder, const std::string& label) {
    const auto start = Clock::now();
    nas::Run::start(std::move(experiment), quiet_run((root / folder).string())).go_on();
    const double wall = seconds_since(start);
    std::cout << "  " << label << " done in " << fixed(wall, 1) << " s; load average " << load_average() << "\n"
              << std::flush;
    return wall;
  };
  const double wall_a = run_side(std::move(shared), "weight_sharing", "weight sharing");
  const auto log_a = nas::SearchLog::open((root / "weight_sharing").string(), nas::SearchLog::Mode::read_only);
  const double wall_b =
      run_side(nas::load_experiment(scratch.dump(2), "bench (from scratch)"), "from_scratch", "from scratch");
  const auto log_b = nas::SearchLog::open((root / "from_scratch").string(), nas::SearchLog::Mode::read_only);

  // Each side's best: A's by stand-alone validation accuracy after its retrain phase (what the pipeline
  // hands over), B's by its search's validation accuracy.
  const nas::RetrainedTrials retrained_a = nas::read_retrained_trials(log_a);
  const nas::RetrainedTrial* best_a = retrained_a.best();
  if (!best_a) throw std::runtime_error("the weight-sharing run retrained nothing");
  const nas::TrialRow row_a = log_a.trial(best_a->trial_id);
  const std::optional<nas::TrialRow> row_b = log_b.best();
  if (!row_b) throw std::runtime_error("the from-scratch run has no successful trial");

  // The final retraining: the retrain section's trainer for both.
  nas::Experiment tools = nas::load_experiment(scratch.dump(2), "bench (retrain)");
  const auto data = load_images(effective);
  const nas::TrainerOptions trainer =
      nas::read_trainer_options(section_of(Json{{"evaluator", retrain_trainer}}, "evaluator", "bench retrain"));
  const nas::Architecture arch_a = nas::rebuild_logged_architecture(row_a, *tools.space, log_a.path());
  const nas::Architecture arch_b = nas::rebuild_logged_architecture(*row_b, *tools.space, log_b.path());
  std::cerr << "retraining the best of each side with the retrain section's trainer\n";
  const Retrained final_a = retrain_and_test(*tools.space, arch_a, *data, trainer, row_a.seed);
  const Retrained final_b = retrain_and_test(*tools.space, arch_b, *data, trainer, row_b->seed);

  const auto phases_a = phase_seconds(log_a);
  const auto phases_b = phase_seconds(log_b);
  const auto trials_a = static_cast<long>(log_a.status_counts().done);
  const auto trials_b = static_cast<long>(log_b.status_counts().done);
  std::cout << std::fixed << std::setprecision(1) << "\nweight sharing (supernet + inherited search + retrain top 3): "
            << wall_a << " s";
  for (const auto& [name, s] : phases_a) std::cout << "; " << name << " " << s;
  std::cout << "\n  " << trials_a << " trials done: " << trials_a / wall_a * 3600.0 << " trials per hour (whole run); "
            << trials_a / phases_a.at("search") * 3600.0 << " per hour in the search phase alone\n";
  std::cout << "from scratch (" << args.scratch_epochs << " epoch(s) per trial): " << wall_b << " s";
  for (const auto& [name, s] : phases_b) std::cout << "; " << name << " " << s;
  std::cout << "\n  " << trials_b << " trials done: " << trials_b / wall_b * 3600.0 << " trials per hour\n";
  std::cout << "trials per hour, weight sharing / from scratch: " << std::setprecision(2)
            << (trials_a / wall_a) / (trials_b / wall_b) << "\n";
  std::cout << std::setprecision(4) << "\nbest of weight sharing: trial " << row_a.id << " " << row_a.short_form
            << " (inherited " << best_a->inherited_val_accuracy << ", retrain phase val "
            << best_a->val_accuracy << ", madds " << row_a.metrics->madds << ", params "
            << row_a.metrics->params << ")\n  retrained: val " << final_a.val_accuracy << ", test "
            << final_a.test_accuracy << std::setprecision(1) << " (" << final_a.seconds << " s)\n";
  std::cout << std::setprecision(4) << "best from scratch: trial " << row_b->id << " " << row_b->short_form
            << " (search val " << row_b->metrics->val_accuracy << " after " << args.scratch_epochs << " epoch(s), madds "
            << row_b->metrics->madds << ", params " << row_b->metrics->params << ")\n  retrained: val "
            << final_b.val_accuracy << ", test " << final_b.test_accuracy << std::setprecision(1) << " ("
            << final_b.seconds << " s)\n";
  std::cout << "retraining: " << retrain_trainer.dump() << " on " << data->train_images.size(0)
            << " training images, validated on " << data->val_images.size(0) << ", tested on "
            << data->test_images.size(0) << "; torch threads " << at::get_num_threads() << "; load average at the end "
            << load_average() << "\n" << std::defaultfloat;
  if (args.out.empty()) fs::remove_all(root);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  nas::keep_freed_memory_for_reuse();
  Args args;
  try {
    args = parse(argc, argv);
  } catch (const nas_bench::UsageError& e) {
    return nas_bench::report("nas_bench_weight_sharing", e);
  }
  try {
    if (args.mode == "ranking") return run_ranking(args);
    if (args.mode == "throughput") return run_throughput(args);
    return run_cost(args);
  } catch (const std::exception& e) {
    std::cerr << "nas_bench_weight_sharing: " << e.what() << "\n";
    return 1;
  }
}
