#include "evaluators/builtin/node_classification_evaluator.hpp"

#include "evaluators/builtin/shared_layers.hpp"
#include "evaluators/datasets/graph_dataset.hpp"
#include "evaluators/evaluation/evaluator_registry.hpp"
#include "evaluators/training/network_weights.hpp"
#include "evaluators/training/node_trainer.hpp"
#include "evaluators/training/seeded_build.hpp"
#include "ops/graph/node_classifier_script.hpp"
#include "ops/script_export.hpp"

namespace nas {
namespace {

std::unique_ptr<Evaluator> make_node_classification_evaluator(const ConfigNode& dataset_section,
                                                              const ConfigNode& evaluator_section,
                                                              const SearchSpace& space) {
  // Options first: a typo in the evaluator section should not wait for the graph to load.
  auto options = std::make_shared<const NodeTrainerOptions>(read_node_trainer_options(evaluator_section));
  NodeSharingOptions sharing;
  sharing.enabled = evaluator_section.boolean("share_weights", sharing.enabled);
  sharing.fine_tune_epochs = evaluator_section.integer("fine_tune_epochs", sharing.fine_tune_epochs, 1);
  if (dataset_section.yaml().size() == 0)
    throw dataset_section.error("", "the node_classification evaluator needs a graph, e.g. dataset: {name: planetoid, "
                                    "path: ../shared/datasets/planetoid/cora}");
  return std::make_unique<NodeClassificationEvaluator>(load_graph_dataset(dataset_section), std::move(options), sharing,
                                                       space);
}

const bool registered = evaluator_registry().add(
    "node_classification", [](const EvaluatorSections& sections, const SearchSpace& space, std::uint64_t) {
      return make_node_classification_evaluator(sections.dataset, sections.evaluator, space);
    });

GraphNetwork& graph_network(const std::shared_ptr<Network>& built, const SearchSpace& space) {
  auto* net = dynamic_cast<GraphNetwork*>(built.get());
  if (!net)
    throw TrialFailure("space '" + space.name() + "' built a network that does not take a graph; the "
                       "node_classification evaluator trains graph networks (e.g. space: {name: autognn})");
  return *net;
}

}  // namespace

NodeClassificationEvaluator::NodeClassificationEvaluator(std::shared_ptr<const GraphDataset> dataset,
                                                         std::shared_ptr<const NodeTrainerOptions> options,
                                                         NodeSharingOptions sharing, const SearchSpace& space)
    : dataset_(std::move(dataset)),
      options_(std::move(options)),
      sharing_(sharing),
      space_(space) {}

NodeClassificationEvaluator::~NodeClassificationEvaluator() = default;

std::unique_ptr<SharedWeights> NodeClassificationEvaluator::make_shared_weights() const {
  if (!sharing_.enabled) return nullptr;
  return std::make_unique<SharedLayers>();
}

Evaluation NodeClassificationEvaluator::evaluate(const TrialRequest& request) const {
  const TaskShape task = dataset_->shape();
  const std::uint64_t seed = request.seed;
  const SharedWeightsView* shared = request.shared_weights.get();
  try {
    const ModelSummary summary = space_.describe(request.arch, task);
    const std::shared_ptr<Network> built = build_seeded(space_, request.arch, task, seed);
    GraphNetwork* net = &graph_network(built, space_);
    const TrialClock clock(options_->trial_time_limit, options_->trial_time_limit_key);
    const int inherited = shared ? inherit_shared_layers(*shared, *net) : 0;
    const std::int64_t epochs = inherited > 0 ? sharing_.fine_tune_epochs : options_->epochs;
    const NodeTrainingResult result = train_node_classifier(*net, *dataset_, dataset_->train, *options_, epochs, seed, clock);
    Evaluation evaluation;
    if (shared) evaluation.offer = offer_shared_layers(*net, result.val.accuracy);
    TrialMetrics& metrics = evaluation.metrics;
    metrics.val_accuracy = result.val.accuracy;
    metrics.val_loss = result.val.loss;
    metrics.train_seconds = result.seconds;
    metrics.params = parameter_count(*net);
    metrics.madds = summary.madds;
    metrics.reported["test_accuracy"] = result.test.accuracy;
    metrics.reported["test_loss"] = result.test.loss;
    metrics.reported["best_epoch"] = static_cast<double>(result.best_epoch);
    metrics.reported["graphnas_test_accuracy"] = graphnas_test_accuracy(result);
    if (shared) metrics.reported["inherited_layers"] = inherited;
    if (!request.weights_file.empty()) save_network_weights(*net, request.weights_file);
    return evaluation;
  } catch (const c10::Error& e) {
    throw TrialFailure::from_library_message(e.what_without_backtrace());
  }
}

ModelExportResult NodeClassificationEvaluator::export_model(const ModelExportRequest& request) const {
  const GraphDataset& data = *dataset_;
  const std::shared_ptr<Network> built = build_seeded(space_, request.arch, data.shape(), request.seed);
  GraphNetwork& net = graph_network(built, space_);
  ModelExportResult result;
  torch::Tensor trained_on = data.train;
  if (request.retrain_epochs > 0) {
    // No nodes are left to select an epoch by: the retraining keeps its last.
    NodeTrainerOptions options = *options_;
    options.selection = NodeSelection::last_epoch;
    trained_on = torch::cat({data.train, data.val});
    const TrialClock clock(0, "");
    result.train_seconds = train_node_classifier(net, data, trained_on, options, request.retrain_epochs, request.seed, clock)
                               .seconds;
  } else {
    load_network_weights(net, request.weights_file);
  }
  const NodeScores test = score_nodes(net, data, data.test);
  result.test_accuracy = test.accuracy;
  result.test_loss = test.loss;
  result.params = parameter_count(net);
  result.input = {{"features", {{"shape", {"N", data.features.size(1)}},
                                {"dtype", "float32"},
                                {"normalisation", data.rows_normalised ? "each row divided by its sum, inside the module"
                                                                       : "none"}}},
                  {"edge_index", {{"shape", {2, "E"}},
                                  {"dtype", "int64"},
                                  {"layout", "row 0 sources, row 1 targets; each undirected edge both ways; no "
                                             "self-loops (the module adds them)"}}},
                  {"graph", data.name}};
  result.output = "logits [N, " + std::to_string(data.classes) + "], one row per node";
  for (std::int64_t c = 0; c < data.classes; ++c) result.classes.push_back(std::to_string(c));
  result.weights = {{"train_nodes", trained_on.numel()}};
  result.metrics = {{"test_nodes", data.test.numel()}};
  result.tested_on = std::to_string(data.test.numel()) + " test nodes of " + data.name;
  net.to(torch::kCPU);
  torch::jit::Module module = script_node_classifier(net, data.rows_normalised);
  save_script_module(module, request.out);
  return result;
}

}  // namespace nas
