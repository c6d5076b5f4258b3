// The optimizers every build has: SGD (the NAS literature's default for child networks), Adam, and
// AdamW (decoupled weight decay: the ViT-ResNAS and DeiT recipe, lr 5e-4 x batch / 512, decay 0.05).
#include "evaluators/training/optimizer_registry.hpp"

namespace nas {
namespace {

OptimizerFactory read_sgd(const ConfigNode& section) {
  const auto options = torch::optim::SGDOptions(section.number("lr", 0.05, 0))
                           .momentum(section.number("momentum", 0.9, 0))
                           .nesterov(section.boolean("nesterov", false))
                           .weight_decay(section.number("weight_decay", 3e-4, 0));
  if (options.nesterov() && options.momentum() == 0)
    throw section.error("nesterov", "Nesterov momentum needs momentum > 0");
  return [options](const std::vector<torch::Tensor>& parameters) {
    return std::make_unique<torch::optim::SGD>(parameters, options);
  };
}

OptimizerFactory read_adam(const ConfigNode& section) {
  // Adam's usual rate is far below SGD's; 0.05 would make most candidates diverge.
  const auto options =
      torch::optim::AdamOptions(section.number("lr", 1e-3, 0))
          .betas({section.number("beta1", 0.9, 0, 0.999999), section.number("beta2", 0.999, 0, 0.999999)})
          .weight_decay(section.number("weight_decay", 3e-4, 0));
  return [options](const std::vector<torch::Tensor>& parameters) {
    return std::make_unique<torch::optim::Adam>(parameters, options);
  };
}

OptimizerFactory read_adamw(const ConfigNode& section) {
  const auto options =
      torch::optim::AdamWOptions(section.number("lr", 5e-4, 0))
          .betas({section.number("beta1", 0.9, 0, 0.999999), section.number("beta2", 0.999, 0, 0.999999)})
          .eps(section.number("eps", 1e-8, 0))
          .weight_decay(section.number("weight_decay", 0.05, 0));
  return [options](const std::vector<torch::Tensor>& parameters) {
    return std::make_unique<torch::optim::AdamW>(parameters, options);
  };
}

const bool registered = optimizer_registry().add("sgd", read_sgd) && optimizer_registry().add("adam", read_adam) &&
                        optimizer_registry().add("adamw", read_adamw);

}  // namespace
}  // namespace nas
