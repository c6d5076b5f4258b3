#pragma once
// Finds an evaluator by the name in `evaluator.name`: `train` (the default: trains every candidate)
// or `tabular` (looks it up in a benchmark table). Evaluators register themselves, so adding one is
// adding a file. No torch here.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "core/config_node.hpp"
#include "core/registry.hpp"
#include "evaluators/datasets/dataset_registry.hpp"
#include "evaluators/evaluation/evaluator.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {

// The sections of an experiment file an evaluator is made from. `dataset`: the `dataset:` section
// (absent, hence empty, for evaluators that need no data; one that needs data finishes it).
// `evaluator`: its own section, whose keys it reads but does not finish (the pool reads its keys there
// too). `supernet`: the `supernet:` section (empty when absent), which an evaluator that scores
// sub-networks with a supernet's weights reads and finishes; the others leave it alone.
struct EvaluatorSections {
  const ConfigNode& dataset;
  const ConfigNode& evaluator;
  const ConfigNode& supernet;
};

// Makes an evaluator from `sections`. `space` must outlive the evaluator; `seed` is the experiment seed.
using EvaluatorFactory =
    std::function<std::unique_ptr<Evaluator>(const EvaluatorSections& sections, const SearchSpace& space,
                                             std::uint64_t seed)>;
Registry<EvaluatorFactory>& evaluator_registry();

// The task of an evaluator that fixes it whatever the dataset (the tabular evaluator looks cells up in
// results measured on CIFAR-10), read from its `evaluator:` section: what drawing an architecture from
// a search log needs when the run has no dataset. Evaluators that train on the dataset register none.
// Readers of the same type as the datasets' (DatasetShapeReader), given the `evaluator:` section.
Registry<DatasetShapeReader>& evaluator_task_registry();

// The task an experiment's networks are built for, where it is known without loading any data: the
// task of an evaluator that fixes it (a benchmark table's), else the shape its dataset's reader gives;
// nothing when neither section names a registered reader. The one rule for `nas run` (the space's
// decisions, the constraints) and for drawing a logged architecture.
std::optional<TaskShape> known_task(const ConfigNode& dataset_section, const ConfigNode& evaluator_section);

// The evaluator an experiment without `evaluator.name` gets, so that files written before there was a
// choice keep working.
constexpr const char* kDefaultEvaluator = "train";

// Reads `sections.evaluator.name` and makes that evaluator.
std::unique_ptr<Evaluator> make_evaluator(const EvaluatorSections& sections, const SearchSpace& space,
                                          std::uint64_t seed);
// The same for an experiment without a `supernet:` section.
std::unique_ptr<Evaluator> make_evaluator(const ConfigNode& dataset_section, const ConfigNode& evaluator_section,
                                          const SearchSpace& space, std::uint64_t seed);

}  // namespace nas
