#pragma once
// How the best sub-networks of a weight-sharing search are trained from scratch when it ends (the
// `retrain:` section): scores inherited from a supernet only rank candidates, so the run measures what
// the best of them reach as stand-alone networks, and how well the inherited ranking predicted it.
#include <optional>

#include "core/json.hpp"

namespace nas {

class ConfigNode;

struct RetrainPlan {
  int top = 3;  // the best trained trials by (inherited) validation accuracy
  // The training's keys, as an `evaluator:` section of the `train` evaluator (epochs, batch_size,
  // optimizer, schedule, ...), without `top`.
  Json trainer = Json::object();
};

// The experiment file's `retrain:` section, or nothing without one (or with top: 0, which turns it off
// from the command line). Checks the trainer's keys (read_trainer_options) and finishes the section.
std::optional<RetrainPlan> read_retrain_plan(const ConfigNode& root);

}  // namespace nas
