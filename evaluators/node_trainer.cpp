#include "evaluators/node_trainer.hpp"

#include <cmath>

#include "evaluators/evaluator.hpp"

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

bool better(const NodeScores& candidate, const NodeScores& best, NodeSelection selection) {
  if (selection == NodeSelection::last_epoch) return true;
  if (selection == NodeSelection::val_loss) return candidate.loss < best.loss;
  return candidate.accuracy > best.accuracy || (candidate.accuracy == best.accuracy && candidate.loss < best.loss);
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
  const std::string selection = section.choice("selection", "val_accuracy", {"val_accuracy", "val_loss"}, "selection");
  options.selection = selection == "val_loss" ? NodeSelection::val_loss : NodeSelection::val_accuracy;
  options.trial_time_limit = section.number("trial_time_limit", options.trial_time_limit, 0);
  options.trial_time_limit_key = section.path().empty() ? "trial_time_limit" : section.path() + ".trial_time_limit";
  return options;
}

NodeScores score_nodes(GraphNetwork& net, const GraphDataset& data, const torch::Tensor& nodes) {
  torch::NoGradGuard no_grad;
  net.eval();
  return scores_of(net.forward_graph(data.features, data.edge_index), data.labels, nodes);
}

NodeTrainingResult train_node_classifier(GraphNetwork& net, const GraphDataset& data, const torch::Tensor& train_nodes,
                                         const NodeTrainerOptions& options, std::int64_t epochs, const TrialClock& clock) {
  auto optimizer = options.make_optimizer(net.parameters());
  const torch::Tensor train_labels = data.labels.index_select(0, train_nodes);
  NodeTrainingResult result;
  std::vector<torch::Tensor> best_state;
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
    if (best_state.empty() || better(val, result.val, options.selection)) {
      result.val = val;
      result.test = scores_of(eval_logits, data.labels, data.test);
      result.best_epoch = epoch;
      best_state = snapshot(net);
    }
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
