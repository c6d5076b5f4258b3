#include "evaluators/builtin/tabular_evaluator.hpp"

#include <filesystem>
#include <mutex>
#include <sstream>

#include "evaluators/evaluation/evaluator_registry.hpp"

namespace nas {
namespace {

// The accuracies of the table are in percent; nas holds accuracies as fractions.
constexpr double kPercent = 100.0;

// Every value of `metric` must be a percentage, so that dividing by 100 gives a fraction.
void require_percentages(const Nb201Table& table, int metric) {
  for (int cell = 0; cell < kNb201Cells; ++cell) {
    const double value = table.value(cell, metric);
    if (value >= 0 && value <= kPercent) continue;
    std::ostringstream text;
    text << value;
    throw Error(table.path() + ":" + std::to_string(table.line(cell)),
                "column '" + table.metric_columns()[metric] + "' holds " + text.str() +
                    "; the tabular evaluator reads accuracies in percent (0..100), which it divides by 100");
  }
}

std::unique_ptr<Evaluator> make_tabular_evaluator(const ConfigNode& dataset_section,
                                                  const ConfigNode& evaluator_section, const SearchSpace& space) {
  if (dataset_section.yaml().size() > 0)
    throw dataset_section.error("",
                                "the tabular evaluator reads no dataset (its figures come from evaluator.table); "
                                "remove this section");
  const auto* nb201 = dynamic_cast<const Nb201Space*>(&space);
  if (!nb201)
    throw evaluator_section.error("name",
                                  "the tabular evaluator looks cells up in a NAS-Bench-201 table, which "
                                  "needs space: {name: nb201}; this experiment's space is '" +
                                      space.name() + "'");
  if (!nb201->options().benchmark_network())
    throw evaluator_section.error("name",
                                  "the table's figures are those of the benchmark's network (space.channels: 16, "
                                  "space.cells_per_stage: 5); this space has channels " +
                                      std::to_string(nb201->options().channels) + ", cells_per_stage " +
                                      std::to_string(nb201->options().cells_per_stage));
  const std::string path = evaluator_section.path("table", "");
  if (path.empty())
    throw evaluator_section.error("table",
                                  "missing required key 'table', the NAS-Bench-201 CSV file, e.g. "
                                  "../shared/datasets/nasbench201/nb201.csv");
  std::error_code error;
  // A folder or device there is named as such by the table's reader.
  if (!std::filesystem::exists(path, error))
    throw evaluator_section.error("table", "no such file '" + path +
                                               "' (a relative path in the experiment file is read from the "
                                               "file's folder, one given with --set from the working directory)");
  std::shared_ptr<const Nb201Table> table = Nb201Table::load(path);
  TabularOptions options;
  options.fitness = evaluator_section.choice("fitness", options.fitness, table->metric_columns(), "table column");
  options.report = evaluator_section.string_list("report", options.report, table->metric_columns());
  options.seconds_per_query = evaluator_section.number("seconds_per_query", options.seconds_per_query, 0);
  return std::make_unique<TabularEvaluator>(std::move(table), options, *nb201);
}

struct NetworkSize {
  std::int64_t params = -1;  // -1: not described yet
  std::int64_t madds = 0;
};

// The size of the benchmark's network with the cell numbered `cell` (`arch`). describe() builds the
// whole op graph (a few hundred microseconds) while a lookup must stay near a microsecond, so sizes
// are kept once described: per cell, not per hash, because isomorphic cells share a hash but not their
// parameters; and for the whole process, because they depend on the cell alone (every tabular
// evaluator insists on the benchmark's network and task) and a benchmark of controllers makes one
// evaluator per run, which would otherwise describe the same cells again.
NetworkSize network_size(const Nb201Space& space, const Architecture& arch, int cell) {
  static std::mutex mutex;
  static std::vector<NetworkSize> sizes(kNb201Cells);
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (sizes[cell].params >= 0) return sizes[cell];
  }
  // Outside the lock: two workers may describe the same cell at once, and both get the same figures.
  const ModelSummary summary = space.describe(arch, TabularEvaluator::benchmark_task());
  const std::lock_guard<std::mutex> lock(mutex);
  sizes[cell] = NetworkSize{summary.params, summary.madds};
  return sizes[cell];
}

const bool registered = evaluator_registry().add(
    "tabular", [](const EvaluatorSections& sections, const SearchSpace& space, std::uint64_t) {
      return make_tabular_evaluator(sections.dataset, sections.evaluator, space);
    });
const bool task_registered =
    evaluator_task_registry().add("tabular", [](const ConfigNode&) { return TabularEvaluator::benchmark_task(); });

}  // namespace

TabularEvaluator::TabularEvaluator(std::shared_ptr<const Nb201Table> table, const TabularOptions& options,
                                   const Nb201Space& space)
    : table_(std::move(table)), seconds_per_query_(options.seconds_per_query), space_(space) {
  // The sizes trials report are shared across evaluators on that condition (network_size).
  if (!space.options().benchmark_network())
    throw Error("", "the tabular evaluator needs the benchmark's network (16 channels, 5 cells per stage)");
  const auto column = [&](const std::string& name) {
    const int metric = table_->metric_index(name);
    if (metric < 0) throw Error(table_->path(), "has no column '" + name + "'");
    require_percentages(*table_, metric);
    return metric;
  };
  fitness_ = column(options.fitness);
  for (const std::string& name : options.report) report_.emplace_back(name, column(name));
}

Evaluation TabularEvaluator::evaluate(const TrialRequest& request) const {
  const Architecture& arch = request.arch;
  if (arch.space() != space_.name())
    throw TrialFailure("an architecture of space '" + arch.space() +
                       "' cannot be looked up: the tabular evaluator's "
                       "table holds the cells of space '" +
                       space_.name() + "'");
  Nb201Genotype genotype;
  try {
    genotype = space_.genotype_of(arch);
  } catch (const Error& e) {
    throw TrialFailure(e.what());
  }
  const int cell = genotype.index();
  const NetworkSize size = network_size(space_, arch, cell);
  Evaluation evaluation;
  TrialMetrics& metrics = evaluation.metrics;
  metrics.val_accuracy = table_->value(cell, fitness_) / kPercent;
  metrics.val_loss = 0;
  metrics.params = size.params;
  metrics.madds = size.madds;
  metrics.train_seconds = seconds_per_query_;
  for (const auto& [name, metric] : report_) metrics.reported.emplace(name, table_->value(cell, metric) / kPercent);
  return evaluation;
}

}  // namespace nas
