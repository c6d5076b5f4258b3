#include "evaluators/training/node_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "evaluators/evaluation/trial_failure.hpp"
#include "ops/training_random.hpp"

namespace nas {
namespace {

NodeScores scores_of(const torch::Tensor& logits, const torch::Tensor& labels, const torch::Tensor& nodes) {
  const torch::Tensor selected = logits.index_select(0, nodes);
  const torch::Tensor truth = labels.index_select(0, nodes);
  NodeScores scores;
  scores.loss = torch::nn::functional::cross_entropy(selected, truth).item<double>();
  scores.accuracy = selected.argmax(1).eq(truth).to(torch::kFloat64).mean().item<double>();
  return scores;
}

// The best validation accuracy and the lowest validation loss seen so far, each over all epochs
// (not those of the kept epoch): GAT's selection and early stopping compare against these.
struct ValidationRecords {
  double accuracy = -1;
  double loss = std::numeric_limits<double>::infinity();

  bool progressed_by(const NodeScores& scores) const { return scores.accuracy >= accuracy || scores.loss <= loss; }
  void update(const NodeScores& scores) {
    accuracy = std::max(accuracy, scores.accuracy);
    loss = std::min(loss, scores.loss);
  }
};

bool better(const NodeScores& candidate, const NodeScores& kept, const ValidationRecords& records,
            NodeSelection selection) {
  switch (selection) {
    case NodeSelection::last_epoch:
      return true;
    case NodeSelection::val_loss:
      return candidate.loss < kept.loss;
    case NodeSelection::val_accuracy_and_loss:
      return candidate.accuracy >= records.accuracy && candidate.loss <= records.loss;
    case NodeSelection::val_accuracy:
      break;
  }
  return candidate.accuracy > kept.accuracy || (candidate.accuracy == kept.accuracy && candidate.loss < kept.loss);
}

std::vector<torch::Tensor> snapshot(const torch::nn::Module& net) {
  std::vector<torch::Tensor> copies;
  for (const auto& tensor : net.parameters()) copies.push_back(tensor.detach().clone());
  for (const auto& tensor : net.buffers()) copies.push_back(tensor.detach().clone());
  return copies;
}

void restore(torch::nn::Module& net, const std::vector<torch::Tensor>& copies) {
  torch::NoGradGuard no_grad;
  std::size_t i = 0;
  for (auto& tensor : net.parameters()) tensor.copy_(copies[i++]);
  for (auto& tensor : net.buffers()) tensor.copy_(copies[i++]);
}

}  // namespace

NodeTrainerOptions read_node_trainer_options(const ConfigNode& section) {
  NodeTrainerOptions options;
  options.epochs = section.integer("epochs", options.epochs, 1);
  if (section.has("optimizer")) {
    options.make_optimizer = read_optimizer(section.section("optimizer"));
  } else {
    const auto adam = torch::optim::AdamOptions(0.005).weight_decay(5e-4);
    options.make_optimizer = [adam](const std::vector<torch::Tensor>& parameters) {
      return std::make_unique<torch::optim::Adam>(parameters, adam);
    };
  }
  static const std::map<std::string, NodeSelection> selections = {
      {"val_accuracy", NodeSelection::val_accuracy},
      {"val_loss", NodeSelection::val_loss},
      {"val_accuracy_and_loss", NodeSelection::val_accuracy_and_loss}};
  std::vector<std::string> names;
  for (const auto& entry : selections) names.push_back(entry.first);
  options.selection = selections.at(section.choice("selection", "val_accuracy", names, "selection"));
  options.patience = section.integer("patience", options.patience, 0);
  options.trial_time_limit = section.number("trial_time_limit", options.trial_time_limit, 0);
  options.trial_time_limit_key = section.path().empty() ? "trial_time_limit" : section.path() + ".trial_time_limit";
  return options;
}

double graphnas_test_accuracy(const NodeTrainingResult& result) {
  double lowest_loss = std::numeric_limits<double>::infinity();
  double highest_test = 0;
  for (std::size_t epoch = 0; epoch < result.val_by_epoch.size() && epoch < result.test_by_epoch.size(); ++epoch) {
    if (result.val_by_epoch[epoch].loss >= lowest_loss) continue;
    lowest_loss = result.val_by_epoch[epoch].loss;
    highest_test = std::max(highest_test, result.test_by_epoch[epoch].accuracy);
  }
  return highest_test;
}

NodeScores score_nodes(GraphNetwork& net, const GraphDataset& data, const torch::Tensor& nodes) {
  torch::NoGradGuard no_grad;
  net.eval();
  return scores_of(net.forward_graph(data.features, data.edge_index), data.labels, nodes);
}

NodeTrainingResult train_node_classifier(GraphNetwork& net, const GraphDataset& data, const torch::Tensor& train_nodes,
                                         const NodeTrainerOptions& options, std::int64_t epochs, std::uint64_t seed,
                                         const TrialClock& clock) {
  const TrainingRandomScope randomness(seed);
  auto optimizer = options.make_optimizer(net.parameters());
  const torch::Tensor train_labels = data.labels.index_select(0, train_nodes);
  NodeTrainingResult result;
  std::vector<torch::Tensor> best_state;
  ValidationRecords records;
  std::int64_t epochs_without_progress = 0;
  for (std::int64_t epoch = 1; epoch <= epochs; ++epoch) {
    net.train();
    optimizer->zero_grad();
    const torch::Tensor logits = net.forward_graph(data.features, data.edge_index);
    const torch::Tensor loss = torch::nn::functional::cross_entropy(logits.index_select(0, train_nodes), train_labels);
    if (!std::isfinite(loss.item<double>()))
      throw TrialFailure("the training loss is not finite at epoch " + std::to_string(epoch));
    loss.backward();
    optimizer->step();

    torch::Tensor eval_logits;
    {
      torch::NoGradGuard no_grad;
      net.eval();
      eval_logits = net.forward_graph(data.features, data.edge_index);
    }
    const NodeScores val = scores_of(eval_logits, data.labels, data.val);
    const NodeScores test = scores_of(eval_logits, data.labels, data.test);
    result.val_by_epoch.push_back(val);
    result.test_by_epoch.push_back(test);
    if (best_state.empty() || better(val, result.val, records, options.selection)) {
      result.val = val;
      result.test = test;
      result.best_epoch = epoch;
      best_state = snapshot(net);
    }
    epochs_without_progress = records.progressed_by(val) ? 0 : epochs_without_progress + 1;
    records.update(val);
    if (options.patience > 0 && epochs_without_progress >= options.patience) break;
    // Not after the last epoch: the trial's result is complete then, and failing it would throw away a
    // finished training (a Cora search lost one that way at epoch 200 of 200).
    if (epoch < epochs) clock.check("after epoch " + std::to_string(epoch) + " of " + std::to_string(epochs));
  }
  restore(net, best_state);
  net.eval();
  result.seconds = clock.elapsed_seconds();
  return result;
}

}  // namespace nas
