#pragma once
// Optimizers by name (`evaluator.optimizer.name`). Each registered optimizer reads its own keys, so a
// key that makes no sense for it (momentum for adam) is reported as unknown.
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <vector>

#include "core/config_node.hpp"
#include "core/registry.hpp"

namespace nas {

// Makes a fresh optimizer over a network's parameters; one per trial, from settings read once.
using OptimizerFactory =
    std::function<std::unique_ptr<torch::optim::Optimizer>(const std::vector<torch::Tensor>& parameters)>;
// Reads an optimizer's settings (every key of the section but `name`) and returns its factory.
using OptimizerReader = std::function<OptimizerFactory(const ConfigNode& section)>;
Registry<OptimizerReader>& optimizer_registry();

// Reads `section.name` (default `default_name`: sgd for child networks, adamw for a supernet), lets that
// optimizer read the rest and reports unknown keys.
OptimizerFactory read_optimizer(const ConfigNode& section, const std::string& default_name = "sgd");

}  // namespace nas
